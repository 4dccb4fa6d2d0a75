using System.Net;
using System.Text.Json;
using Archives.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archives.Benchmarks;

/// <summary>
/// Many archive nodes in one process: one Kestrel server listening on one loopback port per node,
/// each answering the node contract's catalogue search after a fixed latency. Nodes in the
/// <see cref="Hanging"/> set never answer a search (their health checks still pass), as an archive
/// system whose database is stuck would.
/// </summary>
internal sealed class SimulatedNodes : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<int, string> _nodeByPort = [];
    private long _searches;

    private SimulatedNodes(WebApplication app) => _app = app;

    public IReadOnlyList<(string NodeId, Uri Address)> Nodes { get; private set; } = [];

    /// <summary>Node ids whose searches hang until the caller gives up.</summary>
    public HashSet<string> Hanging { get; } = [];

    public TimeSpan Latency { get; init; }

    /// <summary>How many catalogue searches reached any node: a cache hit must not add to it.</summary>
    public long Searches => Interlocked.Read(ref _searches);

    public static async Task<SimulatedNodes> StartAsync(int count, TimeSpan latency)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            for (var i = 0; i < count; i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
            }
        });
        var app = builder.Build();
        var nodes = new SimulatedNodes(app) { Latency = latency };
        app.MapGet("/health/{kind}", () => "Healthy");
        app.MapGet("/node/v1/info", (HttpContext context) => Results.Json(nodes.Info(nodes.NodeOf(context)), JsonSerializerOptions.Web));
        app.MapGet("/node/v1/catalog/search", nodes.SearchAsync);
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(a => new Uri(a)).OrderBy(a => a.Port).ToList();
        nodes.Nodes = [.. addresses.Select((address, i) => (NodeId: NodeIdOf(i), Address: address))];
        foreach (var (nodeId, address) in nodes.Nodes)
        {
            nodes._nodeByPort[address.Port] = nodeId;
        }

        return nodes;
    }

    /// <summary>A valid county-level division code per node: 330101, 330102, … 330199, 330201, …</summary>
    private static string NodeIdOf(int index) => $"33{1 + (index / 99):D2}{1 + (index % 99):D2}";

    private string NodeOf(HttpContext context) => _nodeByPort[context.Connection.LocalPort];

    private async Task<IResult> SearchAsync(HttpContext context, string? q, int? limit)
    {
        var nodeId = NodeOf(context);
        Interlocked.Increment(ref _searches);
        if (Hanging.Contains(nodeId))
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }

        await Task.Delay(Latency, context.RequestAborted);
        var entries = Enumerable.Range(1, Math.Clamp(limit ?? 20, 1, 10)).Select(k => new CatalogueEntry
        {
            Id = $"{nodeId}-{k}",
            Fonds = "J001 模拟全宗",
            ArchivalReference = ArchivalReference.Create("J001", "WS·2000", "0001", $"{k:D4}"),
            Title = $"关于{q}工作的报告（{k}）",
            Year = 1990 + k,
            Category = CatalogueCategory.Documents,
            Score = 100 - k,
        }).ToList();
        return Results.Json(new CatalogueSearchResult
        {
            Entries = entries,
            Total = entries.Count,
            Facets = new CatalogueFacets
            {
                Categories = [new FacetCount(CatalogueCategory.Documents.Code, entries.Count)],
                Decades = [new FacetCount("1990", entries.Count)],
            },
        }, JsonSerializerOptions.Web);
    }

    private NodeInfo Info(string nodeId) => new()
    {
        NodeId = nodeId,
        NameZh = $"模拟档案馆 {nodeId}",
        NameEn = $"Simulated Archives {nodeId}",
        DivisionCode = DivisionCode.Parse(nodeId),
        Level = DivisionLevel.County,
        Categories = [RecordCategory.Marriage],
        RecordCounts = new RecordCounts { OpenCatalogueEntries = 10, CatalogueEntries = 10, PersonalRecords = 0, PersonalRecordsByCategory = new Dictionary<string, long>() },
        ContractVersion = NodeContract.Version,
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

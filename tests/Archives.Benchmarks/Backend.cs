using System.Globalization;
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
/// One archive node as a minimal Kestrel server on a free loopback port, as fast as a node can be, so
/// that what is measured is the path in front of it: a small JSON answer and a 1 MiB answer (both made
/// once at start), a body of any length generated while it is sent (nothing stored), and the evidence
/// of any record for the subject asked about (for certificates).
/// </summary>
/// <remarks>
/// Unlike a real node it does not validate the gateway's token: checking a JWT on every request would
/// take CPU from the gateway on a 2-core machine and measure the node, not the gateway.
/// </remarks>
internal sealed class Backend : IAsyncDisposable
{
    public const string NodeId = "330100";

    /// <summary>A small JSON answer (the node's info, about 500 bytes).</summary>
    public const string SmallPath = "/node/v1/info";

    /// <summary>A 1 MiB answer.</summary>
    public const string LargePath = "/files/scan-1mib.bin";

    private static readonly byte[] Large = RandomBytes(1024 * 1024);
    private static readonly byte[] Chunk = RandomBytes(64 * 1024);

    private readonly WebApplication _app;

    private Backend(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The node as a registry names it.</summary>
    public (string NodeId, Uri Address) Node => (NodeId, Address);

    /// <summary>The path of a generated answer of <paramref name="bytes"/> bytes.</summary>
    public static string StreamPath(long bytes) => $"/files/generated/{bytes.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<Backend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();

        var small = JsonSerializer.SerializeToUtf8Bytes(new NodeInfo
        {
            NodeId = NodeId,
            NameZh = "杭州市档案馆",
            NameEn = "Hangzhou Municipal Archives",
            DivisionCode = DivisionCode.Parse(NodeId),
            Level = DivisionLevel.City,
            Categories = RecordCategory.All,
            RecordCounts = new RecordCounts { OpenCatalogueEntries = 100_000, CatalogueEntries = 120_000, PersonalRecords = 20_000, PersonalRecordsByCategory = new Dictionary<string, long>() },
            ContractVersion = NodeContract.Version,
        }, JsonSerializerOptions.Web);

        app.MapGet("/health/{kind}", () => "Healthy");
        app.MapGet(SmallPath, () => Results.Bytes(small, "application/json"));
        app.MapGet(LargePath, () => Results.Bytes(Large, "application/octet-stream"));
        app.MapGet("/files/generated/{bytes:long}", GenerateAsync);
        app.MapGet("/node/v1/records/{recordId}", Evidence);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Backend(app, new Uri(address));
    }

    private static async Task GenerateAsync(HttpContext context, long bytes)
    {
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = bytes;
        for (var left = bytes; left > 0; left -= Chunk.Length)
        {
            await context.Response.Body.WriteAsync(Chunk.AsMemory(0, (int)Math.Min(Chunk.Length, left)), context.RequestAborted);
        }
    }

    /// <summary>Any record exists, held for whoever is asked about, as an exact marriage record.</summary>
    private static IResult Evidence(string recordId, HttpRequest request)
    {
        var idNumber = request.Headers[NodeContract.SubjectHeaders.IdNumber].ToString();
        var name = Uri.UnescapeDataString(request.Headers[NodeContract.SubjectHeaders.Name].ToString());
        if (idNumber.Length != 18 || !DateOnly.TryParseExact(request.Headers[NodeContract.SubjectHeaders.BirthDate].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
        {
            return Results.Problem(statusCode: 404, title: "Record not found");
        }

        return Results.Json(new RecordLookup
        {
            Status = RecordLookupStatus.Available,
            Evidence = new RecordEvidence
            {
                RecordId = recordId,
                NodeId = NodeId,
                Category = RecordCategory.Marriage,
                ArchivalReference = ArchivalReference.Parse("J012-HY·1985-0034-0007"),
                Title = "1985年结婚登记",
                Summary = $"{(name.Length > 0 ? name : "当事人")}于1985年5月在杭州市上城区登记结婚。",
                EventDate = new DateOnly(1985, 5, 20),
                SubjectName = name.Length > 0 ? name : "陈建国",
                MaskedIdNumber = IdNumber.Mask(idNumber),
                SubjectBirthDate = birth,
                Match = MatchKind.Exact,
                Facts = new Dictionary<string, string> { ["registrationOffice"] = "上城区婚姻登记处" },
            },
        }, JsonSerializerOptions.Web);
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

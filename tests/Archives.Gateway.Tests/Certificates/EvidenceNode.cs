using System.Collections.Concurrent;
using System.Globalization;
using Archives.Contracts;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>A personal record an <see cref="EvidenceNode"/> holds, with the subject data it matches on.</summary>
public sealed record HeldRecord(RecordEvidence Evidence, string? IdNumber, DateOnly BirthDate)
{
    /// <summary>On paper: the node answers 202 until <see cref="EvidenceNode.FinishRetrievals"/>.</summary>
    public bool OnPaper { get; init; }
}

/// <summary>
/// A contract-conforming archive node for certificates on real Kestrel (127.0.0.1, port 0):
/// <c>GET /node/v1/records/{recordId}</c> with the subject in headers (200, 202 for paper records,
/// 404 for a missing record and for someone else's alike), and <c>/node/v1/info</c>. Lookups can be
/// held at a gate to keep a first request in flight.
/// </summary>
public sealed class EvidenceNode : IArchiveNodeUnderTest, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, HeldRecord> _records = new(StringComparer.Ordinal);
    private int _lookups;
    private int _transientFailures;
    private volatile bool _retrieved;

    private EvidenceNode(string nodeId, string nameZh, string nameEn, WebApplication app)
    {
        NodeId = nodeId;
        NameZh = nameZh;
        NameEn = nameEn;
        _app = app;
    }

    public string NodeId { get; }

    public string NameZh { get; }

    public string NameEn { get; }

    public IReadOnlyList<RecordCategory> Categories => RecordCategory.All;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>How many record lookups reached the node.</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    /// <summary>When set, each lookup waits for it (tests release it); lookups before it is set pass.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Set when a lookup is waiting at the gate.</summary>
    public TaskCompletionSource LookupArrived { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether only the first lookup waits at the gate (the others pass).</summary>
    public bool GateFirstOnly { get; set; }

    /// <summary>The next <paramref name="count"/> lookups answer 503 with <c>Retry-After: 3600</c>, as a node restarting would.</summary>
    public void FailNext(int count) => Volatile.Write(ref _transientFailures, count);

    public void Add(HeldRecord record) => _records[record.Evidence.RecordId] = record;

    /// <summary>Paper records are retrieved from now on.</summary>
    public void FinishRetrievals() => _retrieved = true;

    public static async Task<EvidenceNode> StartAsync(string nodeId, string nameZh, string nameEn)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        // Like a real node: the record lookup needs a node.api token of the project's identity server.
        var issuer = Identity.Issuer.AbsoluteUri;
        builder.Services.AddAuthentication().AddJwtBearer(jwt =>
        {
            jwt.Authority = issuer;
            jwt.RequireHttpsMetadata = false;
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters { ValidIssuer = issuer, ValidAudience = "archives-node", ValidTypes = ["at+jwt", "application/at+jwt"] };
        });
        var app = builder.Build();
        var node = new EvidenceNode(nodeId, nameZh, nameEn, app);
        app.MapGet("/health/ready", () => Results.Ok("ready"));
        app.MapGet("/node/v1/info", node.Info);
        app.MapGet("/node/v1/records/{recordId}", node.LookupAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        node.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return node;
    }

    private IResult Info() => Results.Json(new NodeInfo
    {
        NodeId = NodeId,
        NameZh = NameZh,
        NameEn = NameEn,
        DivisionCode = DivisionCode.Parse(NodeId),
        Level = DivisionCode.Parse(NodeId).Level,
        Categories = Categories,
        RecordCounts = new RecordCounts { OpenCatalogueEntries = 0, CatalogueEntries = 0, PersonalRecords = _records.Count, PersonalRecordsByCategory = new Dictionary<string, long>() },
        ContractVersion = NodeContract.Version,
    });

    private async Task<IResult> LookupAsync(string recordId, HttpRequest request)
    {
        var authentication = await request.HttpContext.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!authentication.Succeeded || !(authentication.Principal.FindFirst("scope")?.Value.Split(' ').Contains("node.api") ?? false))
        {
            return Results.Problem(statusCode: 401, title: "A node.api token is required");
        }

        var count = Interlocked.Increment(ref _lookups);
        if (Interlocked.Decrement(ref _transientFailures) >= 0)
        {
            request.HttpContext.Response.Headers.RetryAfter = "3600";
            return Results.Problem(statusCode: 503, title: "Node starting");
        }

        if (Gate is { } gate && (!GateFirstOnly || count == 1))
        {
            LookupArrived.TrySetResult();
            await gate.Task.WaitAsync(request.HttpContext.RequestAborted);
        }

        var idNumber = request.Headers[NodeContract.SubjectHeaders.IdNumber].ToString();
        var name = Uri.UnescapeDataString(request.Headers[NodeContract.SubjectHeaders.Name].ToString());
        var birth = DateOnly.TryParseExact(request.Headers[NodeContract.SubjectHeaders.BirthDate].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var b) ? b : (DateOnly?)null;
        if (!_records.TryGetValue(recordId, out var record))
        {
            return NotFound();
        }

        var match = record.IdNumber is not null
            ? idNumber == record.IdNumber
            : name == record.Evidence.SubjectName && birth == record.BirthDate;
        if (!match)
        {
            return NotFound();
        }

        if (record.OnPaper && !_retrieved)
        {
            request.HttpContext.Response.Headers.RetryAfter = "30";
            return Results.Json(new RecordLookup
            {
                Status = RecordLookupStatus.RetrievalPending,
                Retrieval = new RecordRetrieval { ReadyAt = DateTimeOffset.UtcNow.AddSeconds(30), RetryAfterSeconds = 30 },
            }, statusCode: StatusCodes.Status202Accepted);
        }

        return Results.Json(new RecordLookup { Status = RecordLookupStatus.Available, Evidence = record.Evidence });
    }

    private static IResult NotFound() => Results.Problem(statusCode: 404, title: "Record not found", detail: "The node holds no record with this id for this subject.");

    public async ValueTask DisposeAsync()
    {
        Gate?.TrySetResult();
        await _app.StopAsync(TimeSpan.FromSeconds(2).ToCancellationToken());
        await _app.DisposeAsync();
    }
}

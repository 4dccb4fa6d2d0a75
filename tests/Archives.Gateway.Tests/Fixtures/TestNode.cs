using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Archives.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Archives.Gateway.Tests.Fixtures;

/// <summary>How a test node misbehaves on <c>/node/v1/*</c>.</summary>
public enum NodeFault
{
    None,
    Hang,
    ServerError,
    MalformedJson,
    EndlessBody,
    Drip,

    /// <summary>A 302 to this node's <c>/test/echo/redirected</c>.</summary>
    Redirect,
}

/// <summary>
/// A node the gateway's tests run against: a registry entry (id, names, categories, addresses)
/// and a base address. <see cref="TestNode"/> is the in-memory one; the real Archives.Node can
/// implement this later so the same tests run against it.
/// </summary>
public interface IArchiveNodeUnderTest
{
    string NodeId { get; }

    string NameZh { get; }

    string NameEn { get; }

    IReadOnlyList<RecordCategory> Categories { get; }

    Uri BaseAddress { get; }
}

/// <summary>
/// A minimal contract-conforming archive node on real Kestrel, 127.0.0.1 port 0: info, catalogue
/// search with real cursor paging and facets, record search, readiness, from in-memory lists; plus
/// switchable faults and test endpoints for the pass-through. Like a real node, everything but
/// <c>info</c> and health needs a <c>node.api</c> token of the project's identity server (401 otherwise).
/// </summary>
public sealed class TestNode : IArchiveNodeUnderTest, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private int _transientFailures;

    private TestNode(string nodeId, WebApplication app, List<CatalogueEntry> entries, List<TestRecord> records, IReadOnlyList<RecordCategory> categories)
    {
        NodeId = nodeId;
        _app = app;
        Entries = entries;
        Records = records;
        Categories = categories;
    }

    public string NodeId { get; }

    public string NameZh => $"测试档案馆{NodeId}";

    public string NameEn => $"Test Archives {NodeId}";

    public IReadOnlyList<RecordCategory> Categories { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public List<CatalogueEntry> Entries { get; }

    public List<TestRecord> Records { get; }

    /// <summary>The fault applied to <c>/node/v1/*</c> from now on.</summary>
    public volatile NodeFault Fault;

    /// <summary>The next <paramref name="count"/> <c>/node/v1/*</c> requests answer 503 with <c>Retry-After: 3600</c>, as a node restarting would.</summary>
    public void FailNext(int count) => Volatile.Write(ref _transientFailures, count);

    /// <summary>Whether <c>/health/ready</c> answers 200 (else 503).</summary>
    public volatile bool Ready = true;

    /// <summary>The most entries this node puts on one page, whatever the limit asked (contract nodes may page smaller).</summary>
    public int? MaxPageSize { get; set; }

    /// <summary>Added before every <c>/node/v1/*</c> answer.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>For the pass-through: released by a test to let <c>/test/stream</c> send its second chunk.</summary>
    public TaskCompletionSource ReleaseStream { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>For the pass-through: set when <c>/test/upload</c> has received its first bytes.</summary>
    public TaskCompletionSource UploadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The <c>Authorization</c> header of every protected request, valid or not (empty when absent).</summary>
    public ConcurrentQueue<string> ReceivedAuthorizations { get; } = new();

    /// <summary>The <c>traceparent</c> header of every node API request (empty when absent).</summary>
    public ConcurrentQueue<string> ReceivedTraceParents { get; } = new();

    /// <summary>The <c>limit</c> of every catalogue search this node answered, in order.</summary>
    public ConcurrentQueue<int> CatalogueLimits { get; } = new();

    /// <summary>How many requests reached a path (e.g. <c>/node/v1/catalog/search</c>).</summary>
    public int RequestsTo(string path) => _requests.GetValueOrDefault(path);

    public static async Task<TestNode> StartAsync(
        string nodeId,
        IEnumerable<CatalogueEntry>? entries = null,
        IEnumerable<TestRecord>? records = null,
        IReadOnlyList<RecordCategory>? categories = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var issuer = Identity.Issuer.AbsoluteUri;
        builder.Services.AddAuthentication().AddJwtBearer(jwt =>
        {
            jwt.Authority = issuer;
            jwt.RequireHttpsMetadata = false;
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = issuer,
                ValidAudience = "archives-node",
                ValidTypes = ["at+jwt", "application/at+jwt"],
            };
        });
        var app = builder.Build();
        var node = new TestNode(nodeId, app, [.. entries ?? []], [.. records ?? []], categories ?? RecordCategory.All);
        node.Map(app);
        await app.StartAsync();
        node.FixAddress();

        // The identity server's keys now, so a node's first answer does not spend the gateway's deadline on them.
        var jwt = app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        await jwt.ConfigurationManager!.GetConfigurationAsync(CancellationToken.None);
        return node;
    }

    // The address is only known once Kestrel listens.
    private void FixAddress()
    {
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (path != "/node/v1/info" && !path.StartsWith("/health/", StringComparison.Ordinal))
            {
                ReceivedAuthorizations.Enqueue(context.Request.Headers.Authorization.ToString());
                var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
                if (!result.Succeeded || !(result.Principal.FindFirst("scope")?.Value.Split(' ').Contains("node.api") ?? false))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }
            }

            if (path.StartsWith("/node/v1/", StringComparison.Ordinal) && path != "/node/v1/info")
            {
                ReceivedTraceParents.Enqueue(context.Request.Headers.TraceParent.ToString());
            }

            if (path.StartsWith("/node/v1/", StringComparison.Ordinal))
            {
                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, context.RequestAborted);
                }

                if (await ApplyFaultAsync(context))
                {
                    return;
                }
            }

            await next(context);
        });

        app.MapGet("/health/ready", () => Ready ? Results.Ok("ready") : Results.StatusCode(503));
        app.MapGet("/node/v1/info", Info);
        app.MapGet("/node/v1/catalog/search", SearchCatalogue);
        app.MapPost("/node/v1/records/search", SearchRecords);

        // Pass-through test endpoints.
        app.Map("/test/echo/{**rest}", (HttpContext c) => Results.Json(new
        {
            path = c.Request.Path.Value,
            rawTarget = c.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget,
            query = c.Request.QueryString.Value,
            headers = c.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        }));
        app.MapGet("/test/set-cookie", (HttpContext c) =>
        {
            c.Response.Headers.SetCookie = "session=node";
            c.Response.Headers["X-Powered-By"] = "test";
            return Results.Ok("ok");
        });
        app.MapGet("/test/stream", async (HttpContext c) =>
        {
            c.Response.ContentType = "text/plain";
            await c.Response.WriteAsync("first\n", c.RequestAborted);
            await c.Response.Body.FlushAsync(c.RequestAborted);
            await ReleaseStream.Task.WaitAsync(c.RequestAborted);
            await c.Response.WriteAsync("second\n", c.RequestAborted);
        });
        app.MapPost("/test/upload", async (HttpContext c) =>
        {
            var buffer = new byte[8192];
            long total = 0;
            int read;
            while ((read = await c.Request.Body.ReadAsync(buffer, c.RequestAborted)) > 0)
            {
                total += read;
                UploadStarted.TrySetResult();
            }

            return Results.Ok(new { bytes = total });
        });
    }

    private async Task<bool> ApplyFaultAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        if (Interlocked.Decrement(ref _transientFailures) >= 0)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "3600";
            return true;
        }

        switch (Fault)
        {
            case NodeFault.None:
                return false;
            case NodeFault.Hang:
                await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
                return true;
            case NodeFault.ServerError:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsJsonAsync(new { title = "Internal error" }, ct);
                return true;
            case NodeFault.MalformedJson:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"entries\": [ {\"id\": ", ct);
                return true;
            case NodeFault.EndlessBody:
                context.Response.ContentType = "application/json";
                var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
                try
                {
                    await context.Response.WriteAsync("{\"entries\":[", ct);
                    for (var i = 0; i < 100_000 && !ct.IsCancellationRequested; i++)
                    {
                        await context.Response.Body.WriteAsync(chunk, ct);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                }

                return true;
            case NodeFault.Drip:
                context.Response.ContentType = "application/json";
                try
                {
                    await context.Response.Body.FlushAsync(ct);
                    for (var i = 0; i < 600 && !ct.IsCancellationRequested; i++)
                    {
                        await context.Response.Body.WriteAsync(" "u8.ToArray(), ct);
                        await context.Response.Body.FlushAsync(ct);
                        await Task.Delay(1000, ct);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                }

                return true;
            case NodeFault.Redirect:
                context.Response.Redirect("/test/echo/redirected");
                return true;
            default:
                return false;
        }
    }

    private IResult Info() => Results.Json(new NodeInfo
    {
        NodeId = NodeId,
        NameZh = NameZh,
        NameEn = NameEn,
        DivisionCode = DivisionCode.Parse(NodeId),
        Level = DivisionCode.Parse(NodeId).Level,
        Categories = Categories,
        RecordCounts = new RecordCounts
        {
            OpenCatalogueEntries = Entries.Count,
            CatalogueEntries = Entries.Count,
            PersonalRecords = Records.Count,
            PersonalRecordsByCategory = Records.GroupBy(r => r.Match.Category.Code).ToDictionary(g => g.Key, g => (long)g.Count()),
        },
        ContractVersion = NodeContract.Version,
    });

    private IResult SearchCatalogue(string? q, int? from, int? to, string? category, string? cursor, int? limit)
    {
        var size = limit ?? NodeContract.DefaultLimit;
        if (size is < 1 or > NodeContract.MaxLimit)
        {
            return Results.Problem(statusCode: 400, title: "limit");
        }

        CatalogueLimits.Enqueue(size);
        var offset = 0;
        if (cursor is not null)
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (!text.StartsWith("o:", StringComparison.Ordinal) || !int.TryParse(text[2..], CultureInfo.InvariantCulture, out offset) || offset < 0)
            {
                return Results.Problem(statusCode: 400, title: "cursor");
            }
        }

        var words = (q ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var matches = Entries
            .Where(e => words.All(w => e.Title.Contains(w, StringComparison.OrdinalIgnoreCase)))
            .Where(e => from is null || e.Year >= from)
            .Where(e => to is null || e.Year <= to)
            .Where(e => category is null || e.Category.Code == category)
            .OrderByDescending(e => e.Score)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        var page = matches.Skip(offset).Take(Math.Min(size, MaxPageSize ?? size)).ToList();
        var next = offset + page.Count < matches.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes("o:" + (offset + page.Count).ToString(CultureInfo.InvariantCulture))) : null;
        return Results.Json(new CatalogueSearchResult
        {
            Entries = page,
            Total = matches.Count,
            NextCursor = next,
            Facets = new CatalogueFacets
            {
                Categories = [.. matches.GroupBy(e => e.Category.Code).Select(g => new FacetCount(g.Key, g.Count()))],
                Decades = [.. matches.GroupBy(e => e.Year / 10 * 10).OrderBy(g => g.Key).Select(g => new FacetCount(g.Key.ToString(CultureInfo.InvariantCulture), g.Count()))],
            },
        });
    }

    private async Task<IResult> SearchRecords(HttpRequest http, CancellationToken cancellationToken)
    {
        var request = await JsonSerializer.DeserializeAsync<RecordSearchRequest>(http.Body, JsonSerializerOptions.Web, cancellationToken);
        if (request is null)
        {
            return Results.Problem(statusCode: 400);
        }

        LastRecordSearch = request;
        var wanted = request.Categories.Count == 0 ? Categories : request.Categories;
        var found = Records
            .Where(r => wanted.Contains(r.Match.Category))
            .Where(r => r.IdNumber is not null
                ? request.Subject.IdNumber is not null && r.IdNumber == request.Subject.IdNumber.Value
                : r.Match.SubjectName == request.Subject.Name && r.BirthDate == (request.Subject.BirthDate ?? request.Subject.IdNumber?.BirthDate))
            .Select(r => r.Match with { Match = r.IdNumber is null ? MatchKind.Probable : MatchKind.Exact })
            .OrderBy(r => r.Match)
            .ToList();
        return Results.Json(new RecordSearchResult { Records = found });
    }

    /// <summary>The last record search the node received.</summary>
    public RecordSearchRequest? LastRecordSearch { get; private set; }

    public async ValueTask DisposeAsync()
    {
        ReleaseStream.TrySetResult();
        await _app.StopAsync(TimeSpan.FromSeconds(2).ToCancellationToken());
        await _app.DisposeAsync();
    }
}

/// <summary>A personal record a test node holds, with the subject data it matches on.</summary>
/// <param name="Match">What the node returns (its <c>MaskedIdNumber</c> as the node sends it).</param>
/// <param name="IdNumber">The full ID number in the record, or null for an old record without one.</param>
/// <param name="BirthDate">The subject's birth date as the record writes it.</param>
public sealed record TestRecord(RecordMatch Match, string? IdNumber, DateOnly BirthDate);

internal static class TimeSpanExtensions
{
    public static CancellationToken ToCancellationToken(this TimeSpan timeout) => new CancellationTokenSource(timeout).Token;
}

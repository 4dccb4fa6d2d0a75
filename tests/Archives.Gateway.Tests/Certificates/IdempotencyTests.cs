using System.Net;
using Archives.Contracts;
using Archives.Gateway.Certificates;
using Archives.Gateway.Ledger;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>At most one certificate per (client, Idempotency-Key), whatever retries, crashes and instances do.</summary>
public sealed class IdempotencyTests(CertificateWorld world) : IClassFixture<CertificateWorld>
{
    [Fact]
    public async Task Issue_SameKeySameBody_ReplaysTheSameCertificate()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var key = CertificateWorld.NewKey();

        using var first = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);
        using var second = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        var (a, b) = (await first.ReadJsonAsync(), await second.ReadJsonAsync());
        Assert.Equal((string)a["certificate"]!["number"]!, (string)b["certificate"]!["number"]!);
        Assert.Equal((string)a["jws"]!, (string)b["jws"]!);
    }

    [Fact]
    public async Task Issue_SameKeyQuotedAsStructuredFieldString_IsTheSameKey()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var key = CertificateWorld.NewKey();

        using var first = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);
        using var second = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), $"\"{key}\"");

        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Fact]
    public async Task Issue_SameKeySameRequestFormattedDifferently_IsTheSameBody()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var key = CertificateWorld.NewKey();
        var compact = System.Text.Json.JsonSerializer.SerializeToNode(CertificateWorld.ChenOneChild(), System.Text.Json.JsonSerializerOptions.Web)!.AsObject();
        // Properties in another order, indented, with spaces around the purpose.
        var reordered = new System.Text.Json.Nodes.JsonObject(compact.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        reordered["purpose"] = "  办理退休手续 ";

        using var first = await SendRawAsync(client, compact.ToJsonString(), key);
        using var second = await SendRawAsync(client, reordered.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
    }

    private static async Task<HttpResponseMessage> SendRawAsync(HttpClient client, string json, string key)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/certificates") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        message.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await client.SendAsync(message, Ct);
    }

    [Fact]
    public async Task Issue_SameKeyDifferentBody_Returns422()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var key = CertificateWorld.NewKey();

        using var first = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);
        using var second = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild() with { Purpose = "办理出国手续" }, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType!.MediaType);
        Assert.NotNull((await second.ReadJsonAsync())["errors"]!["Idempotency-Key"]);
    }

    [Fact]
    public async Task Issue_SameKeyOtherClient_IsAnotherKey()
    {
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var app = world.Gateway.ClientFor(Callers.Zheliban());
        var key = CertificateWorld.NewKey();

        using var first = await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild(), key);
        using var second = await CertificateWorld.PostAsync(app, CertificateWorld.ChenOneChild() with { IssuedVia = new CertificateChannel { Kind = IssuingChannelKind.Online, Name = "浙里办" } }, key);

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual((string)(await first.ReadJsonAsync())["certificate"]!["number"]!, (string)(await second.ReadJsonAsync())["certificate"]!["number"]!);
    }

    [Fact]
    public async Task Issue_WhileTheFirstIsInFlight_Returns409WithRetryAfter_ThenReplays()
    {
        await using var own = await OwnCertificateWorld.StartAsync();
        var gateway = own.Gateway;
        using var client = gateway.ClientFor(Callers.HangzhouClerk());
        var key = CertificateWorld.NewKey();
        own.Hangzhou.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);
        await own.Hangzhou.LookupArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        using var second = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);
        own.Hangzhou.Gate.SetResult();
        using var firstResponse = await first;
        using var third = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);
        Assert.Equal("true", third.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, own.Hangzhou.Lookups);
    }

    [Theory]
    [MemberData(nameof(LedgerProviders.All), MemberType = typeof(LedgerProviders))]
    public async Task Issue_100ConcurrentIdenticalRequestsAcrossTwoInstances_IssueExactlyOneCertificate(LedgerProvider provider)
    {
        await using var postgres = await LedgerProviders.StartAsync(provider);
        var (hangzhou, shanghai) = await CertificateWorld.StartNodesAsync();
        await using var _ = hangzhou;
        await using var __ = shanghai;
        await using var data = new TestData();
        var log = new LogCapture();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = postgres?.ConnectionString };
        await using var one = GatewayHost.Start([hangzhou, shanghai], settings, dataDirectory: data.Path, services: s => s.AddSingleton<ILoggerProvider>(log));
        await using var two = GatewayHost.Start([hangzhou, shanghai], settings, dataDirectory: data.Path, services: s => s.AddSingleton<ILoggerProvider>(log));
        using var clientOne = one.ClientFor(Callers.HangzhouClerk());
        using var clientTwo = two.ClientFor(Callers.HangzhouClerk());
        var key = CertificateWorld.NewKey();
        // The node answers slowly enough that the requests really overlap.
        hangzhou.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requests = Enumerable.Range(0, 100)
            .Select(i => CertificateWorld.PostAsync(i % 2 == 0 ? clientOne : clientTwo, CertificateWorld.ChenOneChild(), key))
            .ToList();
        await hangzhou.LookupArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await Task.Delay(300, Ct);
        hangzhou.Gate.SetResult();
        var responses = await Task.WhenAll(requests);
        // Everyone who was told 409 retries on either instance and gets the same certificate; another body is refused.
        using var retryOne = await CertificateWorld.PostAsync(clientOne, CertificateWorld.ChenOneChild(), key);
        using var retryTwo = await CertificateWorld.PostAsync(clientTwo, CertificateWorld.ChenOneChild(), key);
        using var otherBody = await CertificateWorld.PostAsync(clientOne, CertificateWorld.ChenOneChild() with { Purpose = "另一用途" }, key);

        var statuses = responses.Select(r => r.StatusCode).ToList();
        var unexpected = statuses.Where(s => s is not (HttpStatusCode.Created or HttpStatusCode.Conflict)).ToList();
        Assert.True(unexpected.Count == 0, $"Answered {string.Join(", ", unexpected.Select(s => (int)s))}; the gateways logged: "
            + string.Join("\n", log.Lines.Where(l => l.Level >= LogLevel.Error).Select(l => $"{l.Category}: {l.Text}")));
        var numbers = new HashSet<string>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            numbers.Add((string)(await response.ReadJsonAsync())["certificate"]!["number"]!);
        }

        Assert.Single(numbers);
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created) - responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal(numbers.Single(), (string)(await retryOne.ReadJsonAsync())["certificate"]!["number"]!);
        Assert.Equal(numbers.Single(), (string)(await retryTwo.ReadJsonAsync())["certificate"]!["number"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        await using var ledger = one.Ledger();
        Assert.Equal(provider == LedgerProvider.PostgreSQL ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite", ledger.Database.ProviderName);
        Assert.Equal(1, await ledger.Certificates.CountAsync(Ct));
        Assert.Equal(1, hangzhou.Lookups);
        Assert.Equal(provider == LedgerProvider.Sqlite, File.Exists(Path.Combine(data.Path, "ledger.db")));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Issue_InstanceKilledAfterLedgerWrite_RetryOnAnotherInstanceGetsTheStoredCertificate()
    {
        var (hangzhou, shanghai) = await CertificateWorld.StartNodesAsync();
        await using var _ = hangzhou;
        await using var __ = shanghai;
        await using var data = new TestData();
        var directory = data.Path;
        var key = CertificateWorld.NewKey();
        string number;
        {
            // The first instance completes the ledger transaction; its answer never reaches the client, and it dies.
            var doomed = GatewayHost.Start([hangzhou, shanghai], dataDirectory: directory);
            var lost = await doomed.Issuance.IssueAsync(Callers.HangzhouClerk(), key, CertificateWorld.ChenOneChild(), Ct);
            number = Assert.IsType<IssueOutcome.Issued>(lost).Certificate.Certificate.Number;
            await doomed.DisposeAsync();
        }

        await using var survivor = GatewayHost.Start([hangzhou, shanghai], dataDirectory: directory);
        using var client = survivor.ClientFor(Callers.HangzhouClerk());
        using var retry = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(number, (string)(await retry.ReadJsonAsync())["certificate"]!["number"]!);
        Assert.Equal(1, hangzhou.Lookups);
    }

    [Fact]
    public async Task Issue_HolderCrashedBeforeWriting_RetryAfterTheLeaseTakesOverAndIssuesOnce()
    {
        await using var own = await OwnCertificateWorld.StartAsync();
        var gateway = own.Gateway;
        using var client = gateway.ClientFor(Callers.HangzhouClerk());
        var key = CertificateWorld.NewKey();
        // What a crashed instance leaves: a pending row whose lease ran out.
        await using (var ledger = gateway.Ledger())
        {
            ledger.IdempotencyKeys.Add(new IdempotencyEntry
            {
                ClientId = "service-hall",
                Key = key,
                Fingerprint = CertificateIssuance.Fingerprint(CertificateWorld.ChenOneChild()),
                State = IdempotencyState.Pending,
                LeaseToken = Guid.NewGuid(),
                LeaseExpiresAt = DateTime.UtcNow.AddSeconds(-1),
                CreatedAt = DateTime.UtcNow.AddMinutes(-3),
            });
            await ledger.SaveChangesAsync(Ct);
        }

        using var retry = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);
        using var again = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        await using var check = gateway.Ledger();
        Assert.Equal(1, await check.Certificates.CountAsync(Ct));
    }

    [Fact]
    public async Task Issue_StalledHolderLosesItsLease_BothAnswerTheOneCertificate()
    {
        var (hangzhou, shanghai) = await CertificateWorld.StartNodesAsync();
        await using var _ = hangzhou;
        await using var __ = shanghai;
        await using var data = new TestData();
        var directory = data.Path;
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Certificates:IdempotencyLease"] = "00:00:05",
            // The stalled lookup must outlast the lease, not time out and retry.
            ["Gateway:NodeClient:Resilience:AttemptTimeout:Timeout"] = "00:00:15",
        };
        await using var stalled = GatewayHost.Start([hangzhou, shanghai], settings, dataDirectory: directory);
        await using var other = GatewayHost.Start([hangzhou, shanghai], settings, dataDirectory: directory);
        var key = CertificateWorld.NewKey();
        hangzhou.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hangzhou.GateFirstOnly = true;

        var first = stalled.Issuance.IssueAsync(Callers.HangzhouClerk(), key, CertificateWorld.ChenOneChild(), Ct);
        await hangzhou.LookupArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var early = await other.Issuance.IssueAsync(Callers.HangzhouClerk(), key, CertificateWorld.ChenOneChild(), Ct);
        await Task.Delay(TimeSpan.FromSeconds(5.5), Ct);
        var takeover = await other.Issuance.IssueAsync(Callers.HangzhouClerk(), key, CertificateWorld.ChenOneChild(), Ct);
        hangzhou.Gate.SetResult();
        var late = await first;

        Assert.IsType<IssueOutcome.InProgress>(early);
        var issued = Assert.IsType<IssueOutcome.Issued>(takeover);
        Assert.False(issued.Replayed);
        var replayed = Assert.IsType<IssueOutcome.Issued>(late);
        Assert.True(replayed.Replayed);
        Assert.Equal(issued.Certificate.Certificate.Number, replayed.Certificate.Certificate.Number);
        await using var ledger = other.Ledger();
        Assert.Equal(1, await ledger.Certificates.CountAsync(Ct));
    }
}

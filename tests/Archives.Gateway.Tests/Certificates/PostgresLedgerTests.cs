using System.Net;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Archives.Testing;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>
/// A PostgreSQL ledger (<c>ConnectionStrings:Ledger</c>) shared by two instances, beyond what <see cref="IdempotencyTests"/> asks of
/// both providers: many keys at once in one audit chain, and a writer whose connection the server ended.
/// </summary>
public sealed class PostgresLedgerTests
{
    [Fact]
    public async Task Issue_ManyKeysConcurrentlyAcrossTwoInstancesOnPostgres_OneCertificateEach_AndOneIntactAuditChain()
    {
        await using var world = await TwoInstances.StartAsync();
        Assert.SkipWhen(world is null, "PostgreSQL is not installed (apt-get install -y postgresql).");
        var (one, two) = (world.One, world.Two);
        using var clientOne = one.ClientFor(Callers.HangzhouClerk());
        using var clientTwo = two.ClientFor(Callers.HangzhouClerk());
        using var ops = one.ClientFor(Callers.Operator());
        var keys = Enumerable.Range(0, 40).Select(_ => CertificateWorld.NewKey()).ToList();

        // Both instances write claims, certificates, key completions and audit entries to one database at once.
        var responses = await Task.WhenAll(keys.Select((key, i) => CertificateWorld.PostAsync(i % 2 == 0 ? clientOne : clientTwo, CertificateWorld.ChenOneChild(), key)));
        var numbers = new List<string>();
        foreach (var response in responses)
        {
            numbers.Add((string)(await response.ReadJsonAsync())["certificate"]!["number"]!);
        }

        using var replay = await CertificateWorld.PostAsync(clientTwo, CertificateWorld.ChenOneChild(), keys[0]);
        using var check = await ops.GetAsync("/api/v1/audit/verify", Ct);
        var chain = await check.ReadJsonAsync();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(keys.Count, numbers.Distinct().Count());
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(numbers[0], (string)(await replay.ReadJsonAsync())["certificate"]!["number"]!);
        await using var ledger = one.Ledger();
        Assert.Equal(keys.Count, await ledger.Certificates.CountAsync(Ct));
        Assert.Equal(keys.Count, await ledger.IdempotencyKeys.CountAsync(k => k.State == Archives.Gateway.Ledger.IdempotencyState.Completed, Ct));
        // Per issue the evidence read and the issue; then the replay.
        Assert.True((bool)chain["ok"]!, chain.ToJsonString());
        Assert.Equal(2 * keys.Count + 1, (long)chain["entriesChecked"]!);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Issue_AfterPostgresEndedTheLedgerConnections_TheWriterReconnects_AndTheRetryIssuesOnce()
    {
        await using var world = await TwoInstances.StartAsync();
        Assert.SkipWhen(world is null, "PostgreSQL is not installed (apt-get install -y postgresql).");
        using var client = world.One.ClientFor(Callers.HangzhouClerk());
        using var before = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
        Assert.Equal(HttpStatusCode.Created, before.StatusCode);

        // As when PostgreSQL restarts or an operator ends the sessions: the connection the ledger writer keeps open is gone.
        Assert.True(await world.EndLedgerSessionsAsync() > 0);

        // The first write after that meets the dead connection: a 503 the clerk may retry, never a 500. The writer
        // opens a new connection for the next group, and the retry with the same key issues the certificate.
        var key = CertificateWorld.NewKey();
        using var failed = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);
        using var retried = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("5", failed.Headers.RetryAfter?.ToString());
        Assert.Equal("Certificate ledger unavailable", (string?)(await failed.ReadJsonAsync())["title"]);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        await using var ledger = world.One.Ledger();
        Assert.Equal(2, await ledger.Certificates.CountAsync(Ct));
    }

    /// <summary>Two gateway instances with one ledger on a temporary PostgreSQL server, and the evidence nodes; null without PostgreSQL.</summary>
    private sealed class TwoInstances : IAsyncDisposable
    {
        private readonly TemporaryPostgres _postgres;
        private readonly EvidenceNode _hangzhou;
        private readonly EvidenceNode _shanghai;
        private readonly TestData _data;

        private TwoInstances(TemporaryPostgres postgres, EvidenceNode hangzhou, EvidenceNode shanghai, TestData data)
        {
            _postgres = postgres;
            _shanghai = shanghai;
            _hangzhou = hangzhou;
            _data = data;
            var settings = new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = postgres.ConnectionString };
            One = GatewayHost.Start([hangzhou, shanghai], settings, dataDirectory: data.Path);
            Two = GatewayHost.Start([hangzhou, shanghai], settings, dataDirectory: data.Path);
        }

        public GatewayHost One { get; }

        public GatewayHost Two { get; }

        public static async Task<TwoInstances?> StartAsync()
        {
            if (await TemporaryPostgres.StartAsync() is not { } postgres)
            {
                return null;
            }

            var (hangzhou, shanghai) = await CertificateWorld.StartNodesAsync();
            return new TwoInstances(postgres, hangzhou, shanghai, new TestData());
        }

        /// <summary>Ends every other session on the ledger's PostgreSQL server; how many it ended.</summary>
        public async Task<long> EndLedgerSessionsAsync()
        {
            await using var connection = new Npgsql.NpgsqlConnection(_postgres.ConnectionString);
            await connection.OpenAsync(Ct);
            await using var end = new Npgsql.NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'", connection);
            return (long)(await end.ExecuteScalarAsync(Ct))!;
        }

        public async ValueTask DisposeAsync()
        {
            await One.DisposeAsync();
            await Two.DisposeAsync();
            await _data.DisposeAsync();
            await _hangzhou.DisposeAsync();
            await _shanghai.DisposeAsync();
            await _postgres.DisposeAsync();
        }
    }
}

using System.Net;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Archives.Testing;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>The same at-most-once guarantee on PostgreSQL (<c>ConnectionStrings:Ledger</c>), two instances sharing it.</summary>
public sealed class PostgresLedgerTests
{
    [Fact]
    public async Task Issue_100ConcurrentIdenticalRequestsAcrossTwoInstancesOnPostgres_IssueExactlyOneCertificate()
    {
        await using var postgres = await TemporaryPostgres.StartAsync();
        Assert.SkipWhen(postgres is null, "PostgreSQL is not installed (apt-get install -y postgresql).");
        var (hangzhou, shanghai) = await CertificateWorld.StartNodesAsync();
        await using var _ = hangzhou;
        await using var __ = shanghai;
        await using var data = new TestData();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = postgres.ConnectionString };
        await using var one = CertificateHost.Start([hangzhou, shanghai], data.Path, settings);
        await using var two = CertificateHost.Start([hangzhou, shanghai], data.Path, settings);
        using var clientOne = one.ClientFor(Callers.HangzhouClerk());
        using var clientTwo = two.ClientFor(Callers.HangzhouClerk());
        var key = CertificateWorld.NewKey();
        hangzhou.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requests = Enumerable.Range(0, 100)
            .Select(i => CertificateWorld.PostAsync(i % 2 == 0 ? clientOne : clientTwo, CertificateWorld.ChenOneChild(), key))
            .ToList();
        await hangzhou.LookupArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await Task.Delay(300, Ct);
        hangzhou.Gate.SetResult();
        var responses = await Task.WhenAll(requests);
        using var retry = await CertificateWorld.PostAsync(clientTwo, CertificateWorld.ChenOneChild(), key);
        using var otherBody = await CertificateWorld.PostAsync(clientOne, CertificateWorld.ChenOneChild() with { Purpose = "另一用途" }, key);

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var number = (string)(await retry.ReadJsonAsync())["certificate"]!["number"]!;
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            Assert.Equal(number, (string)(await response.ReadJsonAsync())["certificate"]!["number"]!);
        }

        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        await using var ledger = one.Ledger();
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", ledger.Database.ProviderName);
        Assert.Equal(1, await ledger.Certificates.CountAsync(Ct));
        Assert.Equal(1, hangzhou.Lookups);
        Assert.False(File.Exists(Path.Combine(data.Path, "ledger.db")));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}

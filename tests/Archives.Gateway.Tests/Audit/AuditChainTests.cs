using System.Net;
using Archives.Gateway.Ledger;
using Archives.Gateway.Tests.Fixtures;
using Archives.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Gateway.Tests.Audit;

/// <summary>GET /api/v1/audit/verify walks the whole chain and names the first entry changed or removed behind the gateway's back.</summary>
public sealed class AuditChainTests
{
    [Fact]
    public async Task Verify_AnIntactChain_IsOk_WithItsHead()
    {
        await using var world = await AuditWorld.StartAsync();
        await SearchAsync(world, 4);

        var check = await world.VerifyAsync();

        Assert.True((bool)check["ok"]!);
        Assert.Equal(4, (long)check["entriesChecked"]!);
        Assert.Equal(4, (long)check["head"]!["sequence"]!);
        Assert.Equal((string?)(await world.EntriesAsync("?limit=1"))[0]!["hash"], (string?)check["head"]!["hash"]);
    }

    [Fact]
    public async Task Verify_AnEditedRow_IsNamed()
    {
        await using var world = await AuditWorld.StartAsync();
        await SearchAsync(world, 4);

        await world.ExecuteSqlAsync("UPDATE audit_entries SET Purpose = '无' WHERE Sequence = 2;");
        var check = await world.VerifyAsync();

        Assert.False((bool)check["ok"]!);
        Assert.Equal(2, (long)check["firstBroken"]!["sequence"]!);
        Assert.Equal("hash-mismatch", (string?)check["firstBroken"]!["problem"]);
        Assert.Equal(1, (long)check["entriesChecked"]!);
    }

    [Fact]
    public async Task Verify_AnEditedRowWhoseHashWasRecomputed_BreaksTheLinkOfTheNext()
    {
        await using var world = await AuditWorld.StartAsync();
        await SearchAsync(world, 4);
        var second = (await world.EntriesAsync("?limit=3")).Last()!;
        second["clientId"] = "someone-else";
        var forged = AuditWorld.HashOf(second);

        await world.ExecuteSqlAsync($"UPDATE audit_entries SET ClientId = 'someone-else', Hash = '{forged}' WHERE Sequence = 2;");
        var check = await world.VerifyAsync();

        Assert.False((bool)check["ok"]!);
        Assert.Equal(3, (long)check["firstBroken"]!["sequence"]!);
        Assert.Equal("previous-hash-mismatch", (string?)check["firstBroken"]!["problem"]);
    }

    [Fact]
    public async Task Verify_ADeletedRow_IsNamedAsMissing()
    {
        await using var world = await AuditWorld.StartAsync();
        await SearchAsync(world, 4);

        await world.ExecuteSqlAsync("DELETE FROM audit_entries WHERE Sequence = 3;");
        var check = await world.VerifyAsync();

        Assert.False((bool)check["ok"]!);
        Assert.Equal(3, (long)check["firstBroken"]!["sequence"]!);
        Assert.Equal("missing", (string?)check["firstBroken"]!["problem"]);
    }

    [Fact]
    public async Task Verify_TheFirstRowDeleted_IsNamedAsMissing()
    {
        await using var world = await AuditWorld.StartAsync();
        await SearchAsync(world, 2);

        await world.ExecuteSqlAsync("DELETE FROM audit_entries WHERE Sequence = 1;");
        var check = await world.VerifyAsync();

        Assert.Equal(1, (long)check["firstBroken"]!["sequence"]!);
        Assert.Equal("missing", (string?)check["firstBroken"]!["problem"]);
    }

    [Fact]
    public async Task Verify_ALongChain_IsWalkedInBatches()
    {
        await using var world = await AuditWorld.StartAsync();
        var trail = world.Gateway.Services.GetRequiredService<IAuditTrail>();
        for (var i = 0; i < 1_203; i++)
        {
            await trail.AppendAsync(new AuditRecord(AuditActions.CertificateVerify, null) { Outcome = "unknown" });
        }

        await world.ExecuteSqlAsync("UPDATE audit_entries SET Outcome = 'valid' WHERE Sequence = 1101;");
        var check = await world.VerifyAsync();

        Assert.Equal(1101, (long)check["firstBroken"]!["sequence"]!);
        Assert.Equal(1100, (long)check["entriesChecked"]!);
    }

    [Fact]
    public async Task ConcurrentAppends_FromTwoInstancesOnOneSqliteLedger_FormOneChain()
    {
        await using var world = await AuditWorld.StartAsync();
        await using var second = GatewayHost.Start([world.Hangzhou, world.Shanghai, world.Nanjing], dataDirectory: world.Data.Path);
        var trails = new[] { world.Gateway, second }.Select(h => h.Services.GetRequiredService<IAuditTrail>()).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(
            () => trails[i % 2].AppendAsync(new AuditRecord(AuditActions.CertificateVerify, null) { Outcome = $"n{i}" }), Ct)));
        var check = await world.VerifyAsync();

        Assert.True((bool)check["ok"]!, check.ToJsonString());
        Assert.Equal(60, (long)check["entriesChecked"]!);
    }

    [Fact]
    public async Task ConcurrentAppends_FromTwoInstancesOnOnePostgresLedger_FormOneChain()
    {
        await using var postgres = await TemporaryPostgres.StartAsync();
        Assert.SkipWhen(postgres is null, "PostgreSQL is not installed (apt-get install -y postgresql).");
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = postgres.ConnectionString };
        await using var world = await AuditWorld.StartAsync(settings);
        await using var second = GatewayHost.Start([world.Hangzhou, world.Shanghai, world.Nanjing], settings, dataDirectory: world.Data.Path);
        var trails = new[] { world.Gateway, second }.Select(h => h.Services.GetRequiredService<IAuditTrail>()).ToArray();
        var zheliban = world.As("zheliban", "records.search");

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(
            () => trails[i % 2].AppendAsync(new AuditRecord(AuditActions.CertificateVerify, null) { Outcome = $"n{i}" }), Ct)));
        using var search = await AuditWorld.SearchChenAsync(zheliban);
        var check = await world.VerifyAsync();

        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.True((bool)check["ok"]!, check.ToJsonString());
        Assert.Equal(61, (long)check["entriesChecked"]!);
        Assert.False(File.Exists(world.LedgerFile));
    }

    private static async Task SearchAsync(AuditWorld world, int count)
    {
        var zheliban = world.As("zheliban", "records.search");
        for (var i = 0; i < count; i++)
        {
            using var response = await AuditWorld.SearchChenAsync(zheliban);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}

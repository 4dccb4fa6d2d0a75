using System.Net;
using Archives.Gateway.Tests.Certificates;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Audit;

/// <summary>Every personal search, record read and certificate action is in the audit log, with the right fields and never the raw subject.</summary>
public sealed class AuditTrailTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task RecordSearch_IsRegistered_WithClientSubjectKeyPurposeNodesOutcomeAndTraceId()
    {
        await using var world = await AuditWorld.StartAsync();
        var zheliban = world.As("zheliban", "records.search");

        using var search = await AuditWorld.SearchChenAsync(zheliban, $"00-{TraceId}-00f067aa0ba902b7-01");
        var entries = await world.EntriesAsync(subjectIdNumber: CertificateWorld.ChenId);

        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var entry = Assert.Single(entries)!;
        Assert.Equal("records.search", (string?)entry["action"]);
        Assert.Equal("zheliban", (string?)entry["clientId"]);
        Assert.Null(entry["clerkId"]);
        Assert.Equal(AuditWorld.SubjectKeyOf(CertificateWorld.ChenId), (string?)entry["subjectId"]);
        Assert.NotNull((string?)entry["subjectNameBirth"]);
        Assert.Equal("办理退休手续", (string?)entry["purpose"]);
        Assert.Equal(["320100"], entry["nodes"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("found=1", (string?)entry["outcome"]);
        Assert.Equal(TraceId, (string?)entry["traceId"]);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse((string)entry["at"]!, System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task CertificateActions_AreEachRegistered_AndLaterActionsKeepTheCertificatesSubject()
    {
        await using var world = await AuditWorld.StartAsync();
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var ops = world.Gateway.ClientFor(Callers.Operator());

        var (issued, number) = await world.CertificateLifeAsync(clerk, ops);
        using var _ = issued;
        var entries = (await world.EntriesAsync()).Reverse().ToList();

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(
            ["records.read", "certificates.issue", "certificates.replay", "records.read", "certificates.refuse",
                "certificates.read", "certificates.print", "certificates.verify", "certificates.verify", "certificates.revoke"],
            entries.Select(e => (string)e!["action"]!));
        var chen = AuditWorld.SubjectKeyOf(CertificateWorld.ChenId);
        Assert.All(entries, e => Assert.Equal(chen, (string?)e!["subjectId"]));

        var read = entries[0]!;
        Assert.Equal("service-hall", (string?)read["clientId"]);
        Assert.NotNull((string?)read["clerkId"]);
        Assert.Equal("王芳", (string?)read["clerkName"]);
        Assert.Equal("330100", (string?)read["hall"]);
        Assert.Equal($"330100/{CertificateWorld.HangzhouOneChild}", (string?)read["reference"]);
        Assert.Equal("found", (string?)read["outcome"]);
        Assert.Equal("办理退休手续", (string?)read["purpose"]);
        Assert.Equal(["330100"], read["nodes"]!.AsArray().Select(n => (string)n!));

        Assert.Equal(number, (string?)entries[1]!["reference"]);
        Assert.Equal("issued", (string?)entries[1]!["outcome"]);
        Assert.Equal("not-found", (string?)entries[3]!["outcome"]);
        Assert.Equal("record-not-found", (string?)entries[4]!["outcome"]);
        Assert.All(entries[5..], e => Assert.Equal(number, (string?)e!["reference"]));
        Assert.Null((string?)entries[7]!["clientId"]); // the public page: anonymous
        Assert.Equal("valid", (string?)entries[7]!["outcome"]);
        Assert.Equal("ops", (string?)entries[9]!["clientId"]);
    }

    [Fact]
    public async Task SubjectFilter_TakesTheIdNumberInAHeader_AndFindsOnlyThatSubject()
    {
        await using var world = await AuditWorld.StartAsync();
        var zheliban = world.As("zheliban", "records.search");
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());
        (await AuditWorld.SearchChenAsync(zheliban)).Dispose();
        (await CertificateWorld.PostAsync(clerk, CertificateWorld.WangMarriage(), CertificateWorld.NewKey())).Dispose();

        var chen = await world.EntriesAsync(subjectIdNumber: CertificateWorld.ChenId);
        var wang = await world.EntriesAsync(subjectIdNumber: CertificateWorld.WangId);
        var byClient = await world.EntriesAsync("?client=zheliban");
        var byAction = await world.EntriesAsync("?action=certificates.issue");

        Assert.Equal(["records.search"], chen.Select(e => (string)e!["action"]!));
        Assert.Equal(["certificates.issue", "records.read"], wang.Select(e => (string)e!["action"]!));
        Assert.Equal(["records.search"], byClient.Select(e => (string)e!["action"]!));
        Assert.Single(byAction);
    }

    [Fact]
    public async Task TimeFilterAndCursor_PageThroughTheLog_NewestFirst()
    {
        await using var world = await AuditWorld.StartAsync();
        var zheliban = world.As("zheliban", "records.search");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 5; i++)
        {
            (await AuditWorld.SearchChenAsync(zheliban)).Dispose();
        }

        var sequences = new List<long>();
        string? cursor = null;
        do
        {
            using var response = await world.Auditor.GetAsync($"/api/v1/audit?limit=2&from={Uri.EscapeDataString(before.ToString("O"))}" + (cursor is null ? "" : $"&cursor={cursor}"), Ct);
            var page = await response.ReadJsonAsync();
            sequences.AddRange(page["entries"]!.AsArray().Select(e => (long)e!["sequence"]!));
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);
        var future = await world.EntriesAsync($"?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");

        Assert.Equal([5L, 4, 3, 2, 1], sequences);
        Assert.Empty(future);
    }

    [Fact]
    public async Task Entries_HashAsDocumented_AndChainFromOneToTheNext()
    {
        await using var world = await AuditWorld.StartAsync();
        var zheliban = world.As("zheliban", "records.search");
        for (var i = 0; i < 3; i++)
        {
            (await AuditWorld.SearchChenAsync(zheliban)).Dispose();
        }

        var entries = (await world.EntriesAsync()).Reverse().ToList();

        Assert.Equal(new string('0', 64), (string?)entries[0]!["previousHash"]);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(AuditWorld.HashOf(entries[i]!), (string?)entries[i]!["hash"]);
            if (i > 0)
            {
                Assert.Equal((string?)entries[i - 1]!["hash"], (string?)entries[i]!["previousHash"]);
            }
        }
    }

    [Fact]
    public async Task TheLog_NeverHoldsTheIdNumberOrTheName()
    {
        await using var world = await AuditWorld.StartAsync();
        var zheliban = world.As("zheliban", "records.search");
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());
        (await AuditWorld.SearchChenAsync(zheliban)).Dispose();
        (await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey())).Dispose();

        using var page = await world.Auditor.GetAsync("/api/v1/audit", Ct);
        var text = await page.Content.ReadAsStringAsync(Ct);
        await world.ExecuteSqlAsync("PRAGMA wal_checkpoint(FULL);");
        var file = await File.ReadAllBytesAsync(world.LedgerFile, Ct);
        var inFile = System.Text.Encoding.UTF8.GetString(file);

        Assert.Contains("records.search", text, StringComparison.Ordinal);
        Assert.DoesNotContain(CertificateWorld.ChenId, text, StringComparison.Ordinal);
        Assert.DoesNotContain("陈建国", text, StringComparison.Ordinal);
        // The ledger file holds the certificate (masked ID, name: that is what a certificate states), and the log beside it
        // keys the subject: the full ID number is nowhere in the database.
        Assert.DoesNotContain(CertificateWorld.ChenId, inFile, StringComparison.Ordinal);
    }
}

using System.Net;
using Archives.Gateway.Tests.Certificates;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Tests.Audit;

/// <summary>
/// Every read of personal data is registered: when the log refuses an append (here a trigger in the real
/// database, as a full disk or a revoked grant would), the personal answer is not served: 503 problem+json.
/// </summary>
public sealed class AuditFailureTests
{
    private const string Refuse = "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit store refuses'); END;";

    [Fact]
    public async Task RecordSearch_WhoseRegistrationFails_Is503_AndServesNoRecords()
    {
        await using var world = await AuditWorld.StartAsync();
        var zheliban = world.As("zheliban", "records.search");
        await world.ExecuteSqlAsync(Refuse);

        using var refused = await AuditWorld.SearchChenAsync(zheliban);
        var body = await refused.Content.ReadAsStringAsync(Ct);
        await world.ExecuteSqlAsync("DROP TRIGGER refuse_audit;");
        using var served = await AuditWorld.SearchChenAsync(zheliban);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.DoesNotContain(AuditWorld.NanjingMarriage, body, StringComparison.Ordinal);
        Assert.DoesNotContain("陈建国", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Contains(AuditWorld.NanjingMarriage, await served.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_WhoseRecordReadCannotBeRegistered_Is503_IssuesNothing_AndTheKeyCanBeRetried()
    {
        await using var world = await AuditWorld.StartAsync();
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var key = CertificateWorld.NewKey();
        await world.ExecuteSqlAsync(Refuse);

        using var refused = await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild(), key);
        int certificates;
        await using (var ledger = world.Gateway.Ledger())
        {
            certificates = await ledger.Certificates.CountAsync(Ct);
        }

        await world.ExecuteSqlAsync("DROP TRIGGER refuse_audit;");
        using var retried = await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild(), key);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, certificates);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task CertificateRead_WhoseRegistrationFails_Is503_WithoutTheCertificate()
    {
        await using var world = await AuditWorld.StartAsync();
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var issued = await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
        var number = (string)(await issued.ReadJsonAsync())["certificate"]!["number"]!;
        await world.ExecuteSqlAsync(Refuse);

        using var read = await clerk.GetAsync($"/api/v1/certificates/{number}", Ct);
        using var pdf = await clerk.GetAsync($"/api/v1/certificates/{number}/pdf", Ct);
        int prints;
        await using (var ledger = world.Gateway.Ledger())
        {
            prints = (await ledger.Certificates.SingleAsync(c => c.Number == number, Ct)).PrintCount;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
        Assert.DoesNotContain("陈建国", await read.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pdf.StatusCode);
        Assert.Equal("application/problem+json", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, prints);
    }
}

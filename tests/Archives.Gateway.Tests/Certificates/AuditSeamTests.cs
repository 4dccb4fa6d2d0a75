using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Archives.Gateway.Certificates;
using Archives.Gateway.Ledger;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>Every certificate action reaches <see cref="ICertificateAudit"/>, the seam the audit log plugs into.</summary>
public sealed class AuditSeamTests
{
    [Fact]
    public async Task EveryCertificateAction_ReachesTheAuditSeam_WithCallerAndSubject()
    {
        var audit = new RecordingAudit();
        await using var own = await OwnCertificateWorld.StartAsync(services: s => s.AddSingleton<ICertificateAudit>(audit));
        var gateway = own.Gateway;
        using var clerk = gateway.ClientFor(Callers.HangzhouClerk());
        using var ops = gateway.ClientFor(Callers.Operator());
        var key = CertificateWorld.NewKey();

        using var issued = await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild(), key);
        var certificate = (await issued.ReadJsonAsync())["certificate"]!;
        var number = (string)certificate["number"]!;
        (await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild(), key)).Dispose();
        (await CertificateWorld.PostAsync(clerk, CertificateWorld.Request("330100", "HZ-NOPE-0000", CertificateWorld.ChenId), CertificateWorld.NewKey())).Dispose();
        (await clerk.GetAsync($"/api/v1/certificates/{number}", Ct)).Dispose();
        (await clerk.GetAsync($"/api/v1/certificates/{number}/pdf", Ct)).Dispose();
        (await ops.PostAsJsonAsync($"/api/v1/certificates/{number}/revoke", new { reason = "测试" }, Ct)).Dispose();
        (await gateway.Anonymous.GetAsync($"/verify/{number}?code={(string)certificate["verificationCode"]!}", Ct)).Dispose();

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(
            [CertificateAction.RecordRead, CertificateAction.Issued, CertificateAction.Replayed, CertificateAction.RecordRead, CertificateAction.Refused,
                CertificateAction.Read, CertificateAction.Printed, CertificateAction.Revoked, CertificateAction.Verified],
            audit.Events.Select(e => e.Action));
        var first = audit.Events.First(e => e.Action == CertificateAction.Issued);
        Assert.Equal(number, first.Number);
        Assert.Equal("service-hall", first.Caller!.ClientId);
        Assert.NotNull(first.Caller.ClerkId);
        Assert.Equal("王芳", first.Caller.ClerkName);
        Assert.Equal(CertificateWorld.ChenId, first.SubjectIdNumber!.Value);
        Assert.Equal("ops", audit.Events.Single(e => e.Action == CertificateAction.Revoked).Caller!.ClientId);
    }

    private sealed class RecordingAudit : ICertificateAudit
    {
        private readonly ConcurrentQueue<CertificateAuditEvent> _events = new();

        public IReadOnlyList<CertificateAuditEvent> Events => [.. _events];

        public ValueTask RecordAsync(CertificateAuditEvent entry, CancellationToken cancellationToken)
        {
            _events.Enqueue(entry);
            return ValueTask.CompletedTask;
        }

        public Task RecordAsync(LedgerBatch batch, params IReadOnlyList<CertificateAuditEvent> entries)
        {
            foreach (var entry in entries)
            {
                _events.Enqueue(entry);
            }

            return Task.CompletedTask;
        }
    }
}

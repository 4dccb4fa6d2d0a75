using System.Data.Common;
using Archives.Gateway.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Gateway.Tests.Audit;

/// <summary>
/// The ledger writer commits concurrent writes together; each still succeeds or fails on its own, and a
/// caller hears of its write only once it is committed (visible to any other connection).
/// </summary>
public sealed class LedgerWriterTests
{
    [Fact]
    public async Task ConcurrentWrites_ThatFail_AreRolledBackAlone_AndTheOthersCommitInOneChain()
    {
        await using var world = await AuditWorld.StartAsync();
        var writer = world.Gateway.Services.GetRequiredService<LedgerWriter>();
        var trail = world.Gateway.Services.GetRequiredService<IAuditTrail>();

        // Each write appends two entries; every fifth then fails, after its entries were written.
        var writes = Enumerable.Range(0, 100).Select(i => Task.Run(() => writer.WriteAsync(async batch =>
        {
            await trail.AppendAsync(batch, new AuditRecord(AuditActions.CertificateVerify, null) { Outcome = $"w{i}a" });
            await trail.AppendAsync(batch, new AuditRecord(AuditActions.CertificateVerify, null) { Outcome = $"w{i}b" });
            return i % 5 == 0 ? throw new InvalidOperationException($"write {i} fails") : i;
        }), Ct)).ToArray();
        var results = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return (Ok: true, Value: await w);
            }
            catch (InvalidOperationException)
            {
                return (Ok: false, Value: -1);
            }
        }));

        // Read on a connection of its own: what the writer reported done is committed.
        await using var ledger = world.Gateway.Ledger();
        var outcomes = await ledger.Database.SqlQueryRaw<string>("SELECT Outcome AS Value FROM audit_entries").ToListAsync(Ct);
        var check = await world.VerifyAsync();

        Assert.Equal(80, results.Count(r => r.Ok));
        Assert.Equal(
            Enumerable.Range(0, 100).Where(i => i % 5 != 0).SelectMany(i => new[] { $"w{i}a", $"w{i}b" }).Order(StringComparer.Ordinal),
            outcomes.Order(StringComparer.Ordinal));
        Assert.True((bool)check["ok"]!, check.ToJsonString());
        Assert.Equal(160, (long)check["entriesChecked"]!);
    }

    [Fact]
    public async Task AWriteWhoseAuditEntryIsRefused_LeavesNothing_AndTheNextWriteSucceeds()
    {
        await using var world = await AuditWorld.StartAsync();
        var writer = world.Gateway.Services.GetRequiredService<LedgerWriter>();
        var trail = world.Gateway.Services.GetRequiredService<IAuditTrail>();
        await world.ExecuteSqlAsync("CREATE TRIGGER refuse_revoke BEFORE INSERT ON audit_entries WHEN NEW.Outcome = 'refused' BEGIN SELECT RAISE(ABORT, 'refused'); END;");

        var refused = writer.WriteAsync(async batch =>
        {
            await trail.AppendAsync(batch, new AuditRecord(AuditActions.CertificateVerify, null) { Outcome = "before" });
            return await trail.AppendAsync(batch, new AuditRecord(AuditActions.CertificateVerify, null) { Outcome = "refused" });
        });
        var accepted = trail.AppendAsync(new AuditRecord(AuditActions.CertificateVerify, null) { Outcome = "after" });

        // Said as the audit log being unavailable (a 503), with the database's own error (SqliteException here) inside.
        var unavailable = await Assert.ThrowsAsync<AuditUnavailableException>(() => refused);
        Assert.IsAssignableFrom<DbException>(unavailable.InnerException);
        Assert.Equal(1, (await accepted).Sequence);
        var check = await world.VerifyAsync();
        Assert.Equal(1, (long)check["entriesChecked"]!);
    }
}

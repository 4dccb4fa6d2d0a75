using System.Net;
using Archives.Gateway.Ledger;
using Archives.Gateway.Tests.Certificates;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Tests.Ledger;

/// <summary>The ledger's schema is its migrations: made whole on a new database, and adopted on one made before them.</summary>
public sealed class LedgerMigrationTests
{
    [Theory]
    [MemberData(nameof(LedgerProviders.All), MemberType = typeof(LedgerProviders))]
    public async Task InstancesStartingTogether_OnANewLedger_MigrateItToTheNewestMigration_AndEachServes(LedgerProvider provider)
    {
        await using var postgres = await LedgerProviders.StartAsync(provider);
        await using var data = new TestData();
        var (hangzhou, shanghai) = await CertificateWorld.StartNodesAsync();
        await using var _ = hangzhou;
        await using var __ = shanghai;
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = postgres?.ConnectionString };

        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => GatewayHost.Start([hangzhou, shanghai], settings, dataDirectory: data.Path))));
        try
        {
            await using var ledger = hosts[0].Ledger();
            Assert.Equal(provider == LedgerProvider.PostgreSQL ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite", ledger.Database.ProviderName);
            Assert.Equal(ledger.Database.GetMigrations(), await ledger.Database.GetAppliedMigrationsAsync(Ct));
            Assert.Equal([LedgerAdoption.CertificatesMigration, LedgerAdoption.AuditLogMigration], ledger.Database.GetMigrations().Select(m => m[(m.IndexOf('_') + 1)..]));
            foreach (var host in hosts)
            {
                using var client = host.ClientFor(Callers.HangzhouClerk());
                using var issued = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
                Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ALedgerMadeBeforeMigrations_IsAdopted_KeepingItsCertificates_AndGainsWhatItLacked()
    {
        await using var data = new TestData();
        Directory.CreateDirectory(data.Path);
        var file = Path.Combine(data.Path, "ledger.db");
        var legacy = new DbContextOptionsBuilder<SqliteLedgerDatabase>().UseSqlite($"Data Source={file};Pooling=False").Options;
        await using (var db = new SqliteLedgerDatabase(legacy))
        {
            // What start-up made before the schema had migrations (EnsureCreated records none), in a ledger from
            // before the audit log and the day lists.
            await db.Database.EnsureCreatedAsync(Ct);
            await db.Database.ExecuteSqlRawAsync(
                $"DROP TABLE {LedgerDatabase.AuditTable}; DROP INDEX {LedgerDatabase.HallDayIndex}; DROP INDEX {LedgerDatabase.ClientDayIndex};", Ct);
            db.Certificates.Add(new CertificateEntry
            {
                Number = "3301002026120700000001",
                ClientId = "service-hall",
                IdempotencyKey = "before-migrations",
                Fingerprint = new string('0', 64),
                NodeId = "330100",
                VerificationCode = "ABCD1234",
                PayloadJson = "{}",
                Jws = "x.y.z",
                KeyId = "old-key",
                IssuedAt = new DateTime(2026, 12, 1, 2, 0, 0, DateTimeKind.Utc),
                ExpiresAt = new DateTime(2027, 6, 1, 2, 0, 0, DateTimeKind.Utc),
            });
            await db.SaveChangesAsync(Ct);
        }

        SqliteConnection.ClearAllPools();
        var (hangzhou, shanghai) = await CertificateWorld.StartNodesAsync();
        await using var _ = hangzhou;
        await using var __ = shanghai;
        await using var host = GatewayHost.Start([hangzhou, shanghai], dataDirectory: data.Path);

        await using var ledger = host.Ledger();
        Assert.Equal(ledger.Database.GetMigrations(), await ledger.Database.GetAppliedMigrationsAsync(Ct));
        Assert.Equal("before-migrations", (await ledger.Certificates.SingleAsync(Ct)).IdempotencyKey);
        Assert.Equal(2, await ledger.Database.SqlQuery<int>(
            $"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'index' AND name IN ({LedgerDatabase.HallDayIndex}, {LedgerDatabase.ClientDayIndex})").SingleAsync(Ct));
        using var client = host.ClientFor(Callers.HangzhouClerk());
        using var issued = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(2, await ledger.Certificates.CountAsync(Ct));
        Assert.NotEqual(0, await ledger.AuditEntries.CountAsync(Ct));
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Archives.Gateway.Ledger;

/// <summary>
/// A ledger made before its schema had migrations (by <c>EnsureCreated</c>, which records none) is adopted once:
/// the migrations whose tables it has are recorded as applied, and the day-list indexes such ledgers may lack are
/// made, so that <c>Migrate</c> goes on from there instead of creating tables that exist.
/// </summary>
internal static class LedgerAdoption
{
    /// <summary>The first migration: <c>certificates</c> and <c>idempotency_keys</c>.</summary>
    public const string CertificatesMigration = "Certificates";

    /// <summary>The second: <c>audit_entries</c>.</summary>
    public const string AuditLogMigration = "AuditLog";

    /// <summary>Serialises adoptions on PostgreSQL (any constant the database's other users do not take).</summary>
    private const long PostgresAdoptionLock = 0x4152_4348_4c45_4447; // "ARCHLEDG"

    private static readonly string[] DayListIndexes =
    [
        $"""CREATE INDEX IF NOT EXISTS {LedgerDatabase.HallDayIndex} ON {LedgerDatabase.CertificatesTable} ("ClientId", "Hall", "IssuedAt")""",
        $"""CREATE INDEX IF NOT EXISTS {LedgerDatabase.ClientDayIndex} ON {LedgerDatabase.CertificatesTable} ("ClientId", "IssuedAt")""",
    ];

    public static async Task AdoptAsync(LedgerDatabase db, CancellationToken cancellationToken)
    {
        var history = db.GetService<IHistoryRepository>();
        if (await history.ExistsAsync(cancellationToken) || !await TableExistsAsync(db, LedgerDatabase.CertificatesTable, cancellationToken))
        {
            return; // under migrations already, or a new database that Migrate makes whole
        }

        // SQLite: the transaction's first write takes the file's write lock. PostgreSQL: an advisory lock.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({PostgresAdoptionLock})", cancellationToken);
        }

        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        if ((await history.GetAppliedMigrationsAsync(cancellationToken)).Count == 0)
        {
            foreach (var index in DayListIndexes)
            {
                await db.Database.ExecuteSqlRawAsync(index, cancellationToken);
            }

            await RecordAppliedAsync(db, history, CertificatesMigration, cancellationToken);
            if (await TableExistsAsync(db, LedgerDatabase.AuditTable, cancellationToken))
            {
                await RecordAppliedAsync(db, history, AuditLogMigration, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task RecordAppliedAsync(LedgerDatabase db, IHistoryRepository history, string name, CancellationToken cancellationToken)
    {
        var id = db.Database.GetMigrations().Single(m => m.EndsWith("_" + name, StringComparison.Ordinal));
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(id, ProductInfo.GetVersion())), cancellationToken);
    }

    private static async Task<bool> TableExistsAsync(LedgerDatabase db, string table, CancellationToken cancellationToken)
    {
        var count = db.Database.IsNpgsql()
            ? db.Database.SqlQuery<int>($"SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = {table}")
            : db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {table}");
        return await count.SingleAsync(cancellationToken) > 0;
    }
}

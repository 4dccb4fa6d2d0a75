using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Archives.Gateway.Ledger;

/// <summary>The transaction a piece of ledger work runs in.</summary>
internal sealed class LedgerBatch(LedgerDatabase ledger, IDbContextTransaction transaction, Dictionary<string, DbCommand> commands)
{
    private readonly Dictionary<Type, object> _remembered = [];

    /// <summary>The ledger's context, on this transaction: for the rare reads and writes that are not worth plain SQL.</summary>
    public LedgerDatabase Ledger => ledger;

    private readonly bool _isPostgres = ledger.Database.IsNpgsql();

    /// <summary>The advisory lock every writer transaction takes first on PostgreSQL (a constant the database's other users do not take).</summary>
    private const long PostgresWriteLock = 0x4152_4348_4155_4454; // "ARCHAUDT"

    /// <summary>
    /// Takes the ledger's write lock for the whole transaction before any row lock, as SQLite's <c>BEGIN IMMEDIATE</c>
    /// takes the file's. The audit chain needs its appends serialised anyway; taking that lock first everywhere keeps
    /// the lock order the same in every instance, where taking it at the first append let one instance's append wait
    /// for a second instance while that one's claim waited on the first's idempotency row (a deadlock PostgreSQL ends
    /// by cancelling one, a 503 or worse).
    /// </summary>
    internal async Task LockForWritingAsync()
    {
        if (_isPostgres)
        {
            await Sql("SELECT pg_advisory_xact_lock(@lock)").With("lock", PostgresWriteLock).ExecuteAsync();
        }
    }

    /// <summary>
    /// A plain SQL command on this transaction's connection, for the writes every issue makes: the writer runs one
    /// piece at a time, so EF Core's per-write CPU would be paid in series (Ledger/README.md). Values are bound through
    /// the provider's EF Core type mappings, so rows read back through EF Core exactly as if it had written them; the
    /// command is kept for the connection, so SQLite parses each statement once.
    /// </summary>
    public LedgerCommand Sql(string sql)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            command = ledger.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, command);
        }

        command.Parameters.Clear();
        command.Transaction = transaction.GetDbTransaction();
        return new LedgerCommand(command, ledger.GetService<IRelationalTypeMappingSource>());
    }

    /// <summary>
    /// What a part knows about the database while this transaction holds its lock (say, the audit chain's last
    /// entry), so later writes of the same transaction need not read it again. Forgotten when a write rolls back.
    /// </summary>
    public T? Recall<T>() where T : class => _remembered.TryGetValue(typeof(T), out var value) ? (T)value : null;

    /// <inheritdoc cref="Recall{T}"/>
    public void Remember<T>(T value) where T : class => _remembered[typeof(T)] = value;

    /// <summary>A piece was rolled back to its savepoint: what was remembered may no longer hold.</summary>
    internal void RolledBack() => _remembered.Clear();

    /// <summary>After each piece: what it tracked is written or rolled back, and must not leak into the next one.</summary>
    internal void ForgetTracked() => ledger.ChangeTracker.Clear();
}

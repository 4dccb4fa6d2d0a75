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

    /// <summary>The ledger is on PostgreSQL (else SQLite).</summary>
    public bool IsPostgres { get; } = ledger.Database.IsNpgsql();

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

using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Ledger;

/// <summary>The ledger on SQLite, the type its migrations (<c>Ledger/Migrations/Sqlite</c>) are made for.</summary>
internal sealed class SqliteLedgerDatabase(DbContextOptions<SqliteLedgerDatabase> options) : LedgerDatabase(options);

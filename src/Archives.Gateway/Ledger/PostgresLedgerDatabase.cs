using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Ledger;

/// <summary>The ledger on PostgreSQL, the type its migrations (<c>Ledger/Migrations/PostgreSQL</c>) are made for.</summary>
internal sealed class PostgresLedgerDatabase(DbContextOptions<PostgresLedgerDatabase> options) : LedgerDatabase(options);

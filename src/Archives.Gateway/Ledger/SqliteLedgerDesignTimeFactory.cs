using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Archives.Gateway.Ledger;

/// <summary>
/// For <c>dotnet ef migrations add</c> only (<c>--context SqliteLedgerDatabase</c>): the tool needs a context of the
/// provider, not a database, so it does not start the gateway.
/// </summary>
internal sealed class SqliteLedgerDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLedgerDatabase>
{
    public SqliteLedgerDatabase CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<SqliteLedgerDatabase>().UseSqlite("Data Source=ledger.db").Options);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Archives.Gateway.Ledger;

/// <summary>For <c>dotnet ef migrations add</c> only (<c>--context PostgresLedgerDatabase</c>); connects nowhere.</summary>
internal sealed class PostgresLedgerDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLedgerDatabase>
{
    public PostgresLedgerDatabase CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PostgresLedgerDatabase>().UseNpgsql("Host=localhost;Database=ledger").Options);
}

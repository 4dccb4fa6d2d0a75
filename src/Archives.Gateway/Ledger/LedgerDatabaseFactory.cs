using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Ledger;

/// <summary>
/// Contexts of the configured provider's ledger type, from its pool. Two context types because EF Core keeps one
/// set of migrations per context type, and a migration is written for one provider's column types.
/// </summary>
internal sealed class LedgerDatabaseFactory(IServiceProvider services, IOptions<LedgerOptions> options) : IDbContextFactory<LedgerDatabase>
{
    private readonly Func<LedgerDatabase> _create = options.Value.LedgerProvider == LedgerProvider.PostgreSQL
        ? services.GetRequiredService<IDbContextFactory<PostgresLedgerDatabase>>().CreateDbContext
        : services.GetRequiredService<IDbContextFactory<SqliteLedgerDatabase>>().CreateDbContext;

    public LedgerDatabase CreateDbContext() => _create();
}

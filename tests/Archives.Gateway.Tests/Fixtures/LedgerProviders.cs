using Archives.Gateway.Ledger;
using Archives.Testing;

namespace Archives.Gateway.Tests.Fixtures;

/// <summary>The ledger's providers, for tests that must hold on SQLite and on PostgreSQL alike.</summary>
public static class LedgerProviders
{
    public static TheoryData<LedgerProvider> All => [LedgerProvider.Sqlite, LedgerProvider.PostgreSQL];

    /// <summary>
    /// A temporary PostgreSQL server for <see cref="LedgerProvider.PostgreSQL"/> (null for SQLite): its connection string is
    /// <c>ConnectionStrings:Ledger</c>. Skips the test when PostgreSQL is not installed.
    /// </summary>
    public static async Task<TemporaryPostgres?> StartAsync(LedgerProvider provider)
    {
        var postgres = provider == LedgerProvider.PostgreSQL ? await TemporaryPostgres.StartAsync() : null;
        Assert.SkipWhen(provider == LedgerProvider.PostgreSQL && postgres is null, "PostgreSQL is not installed (apt-get install -y postgresql).");
        return postgres;
    }
}

using Archives.Gateway.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Ledger;

internal static class LedgerExtensions
{
    /// <summary>
    /// The ledger's database (SQLite file, or PostgreSQL at <c>ConnectionStrings:Ledger</c>) with its schema migrated
    /// before the gateway takes requests, the instance's one writer, the idempotency store, and the 503 for writes
    /// the database did not take. Certificates and the audit log keep their rows here.
    /// </summary>
    public static WebApplicationBuilder AddLedger(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LedgerOptions>()
            .BindConfiguration(LedgerOptions.Section)
            .Validate(o => o.LedgerProvider != LedgerProvider.PostgreSQL || !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Ledger")),
                "Gateway:Certificates:LedgerProvider is PostgreSQL but ConnectionStrings:Ledger is not set.")
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<LedgerOptions>, LedgerOptionsDefaults>();

        // Pooled: issuing creates several contexts per request, and creating one costs more than taking it from a pool.
        services.AddPooledDbContextFactory<SqliteLedgerDatabase>((provider, options) =>
            // Default Timeout: how long a writer waits for another instance's transaction on the same file.
            options.UseSqlite($"Data Source={provider.GetRequiredService<IOptions<LedgerOptions>>().Value.LedgerFile};Default Timeout=30;Pooling=True").LogConflictsQuietly());
        services.AddPooledDbContextFactory<PostgresLedgerDatabase>((provider, options) =>
            options.UseNpgsql(provider.GetRequiredService<IConfiguration>().GetConnectionString("Ledger")).LogConflictsQuietly());
        services.AddSingleton<IDbContextFactory<LedgerDatabase>, LedgerDatabaseFactory>();
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<LedgerDatabase>>().CreateDbContext());

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LedgerWriter>();
        services.AddSingleton<IdempotencyStore>();
        services.AddExceptionHandler<LedgerUnavailableHandler>();
        services.AddSingleton<LedgerStartup>();
        services.AddHostedService(provider => provider.GetRequiredService<LedgerStartup>());
        services.AddHealthChecks().AddCheck<LedgerHealthCheck>("ledger", tags: [GatewayDefaults.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// A unique-key conflict is how a losing request learns it lost, so EF's own error events for failed commands
    /// are logged at Debug; failures that matter surface as exceptions and are logged there.
    /// </summary>
    private static DbContextOptionsBuilder LogConflictsQuietly(this DbContextOptionsBuilder options)
        => options.ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug), (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
}

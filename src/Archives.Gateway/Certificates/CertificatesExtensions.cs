using Archives.Gateway.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Certificates;

internal static class CertificatesExtensions
{
    /// <summary>
    /// The certificate ledger (SQLite, or PostgreSQL at <c>ConnectionStrings:Ledger</c>), signing keys,
    /// evidence from nodes, issuing, PDF, verification, and the audit seam (the audit log, <c>AddAudit</c>).
    /// The verification rate limit is the rate-limit feature's (<c>AddGatewayRateLimits</c>).
    /// </summary>
    public static WebApplicationBuilder AddCertificates(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CertificateOptions>()
            .BindConfiguration(CertificateOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.LedgerProvider != LedgerProvider.PostgreSQL || !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Ledger")),
                "Gateway:Certificates:LedgerProvider is PostgreSQL but ConnectionStrings:Ledger is not set.")
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<CertificateOptions>, CertificateOptionsDefaults>();

        // Pooled: issuing creates several contexts per request, and creating one was ~7 % of the gateway's CPU then.
        services.AddPooledDbContextFactory<CertificateLedger>((provider, options) => options.UseLedgerDatabase(provider));
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<CertificateLedger>>().CreateDbContext());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICertificateAudit, CertificateAuditTrail>();
        services.AddSingleton<CertificateKeyStore>();
        services.AddSingleton<CertificateSigner>();
        services.AddSingleton<CertificateFont>();
        services.AddSingleton<EvidenceSource>();
        services.AddLedgerWriter();
        services.AddSingleton<CertificateIssuance>();
        services.AddSingleton<CertificateVerifier>();
        services.AddSingleton<LedgerStartup>();
        services.AddHostedService(provider => provider.GetRequiredService<LedgerStartup>());
        services.AddHostedService<LedgerMaintenance>();
        services.AddHealthChecks().AddCheck<CertificatesHealthCheck>("certificates", tags: ["ready"]);

        // Readers: the issuing client (issue scope), readers (read scope) and auditors; MayRead decides per certificate.
        builder.Services.AddAuthorizationBuilder().AddPolicy(CertificatesApi.ReaderPolicy, policy => policy
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead, GatewayScopes.AuditRead)));
        // The day list: the caller's own certificates only, so auditors (who read any one certificate) have the audit log instead.
        builder.Services.AddAuthorizationBuilder().AddPolicy(CertificatesApi.ListerPolicy, policy => policy
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead)));

        return builder;
    }

    /// <summary>
    /// The ledger's database (SQLite file, or PostgreSQL at <c>ConnectionStrings:Ledger</c>), for the ledger and
    /// for whatever else lives in it (the audit log).
    /// </summary>
    internal static DbContextOptionsBuilder UseLedgerDatabase(this DbContextOptionsBuilder options, IServiceProvider provider)
    {
        // Note: a unique-key conflict is how a losing request learns it lost, so EF's own error events for
        // failed commands are logged at Debug; failures that matter surface as exceptions and are logged there.
        options.ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug), (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
        var settings = provider.GetRequiredService<IOptions<CertificateOptions>>().Value;
        if (settings.LedgerProvider == LedgerProvider.PostgreSQL)
        {
            options.UseNpgsql(provider.GetRequiredService<IConfiguration>().GetConnectionString("Ledger"));
        }
        else
        {
            // Default Timeout: how long a writer waits for another instance's transaction on the same file.
            options.UseSqlite($"Data Source={settings.LedgerFile};Default Timeout=30;Pooling=True");
        }

        return options;
    }
}

/// <summary>
/// Before the gateway takes requests: the ledger's schema (and WAL mode for SQLite) and a signing key.
/// Several instances may start at once on one ledger; a schema another one just made is accepted.
/// </summary>
internal sealed class LedgerStartup(IDbContextFactory<CertificateLedger> ledgers, CertificateKeyStore keys, CertificateFont font, ILogger<LedgerStartup> logger) : IHostedService
{
    public bool Completed { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = font.Available; // loads the font now, so a missing one is logged at start
        await using var db = await ledgers.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(db.Database.GetDbConnection().DataSource)!);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Note: EnsureCreated makes the schema on an empty database and never changes an existing one;
                // a schema change needs migrations (one set per provider) before it ships.
                await db.Database.EnsureCreatedAsync(cancellationToken);
                break;
            }
            catch (Exception e) when (attempt < 5 && e is DbUpdateException or System.Data.Common.DbException)
            {
                // Another instance is creating the same schema.
                await Task.Delay(200 * attempt, cancellationToken);
            }
        }

        foreach (var index in CertificateLedger.LaterIndexes)
        {
            await db.Database.ExecuteSqlRawAsync(index, cancellationToken);
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets readers run beside the writer; persistent in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (await keys.GetActiveAsync(cancellationToken) is null)
        {
            logger.LogError("No certificate signing key: issuing answers 503 until Gateway:Certificates:KeyDirectory holds one.");
        }

        Completed = true;
        logger.LogInformation("Certificate ledger ready ({Provider}).", db.Database.ProviderName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Hourly: purges completed idempotency keys past their retention (and abandoned pending ones), and rotates the signing key when due.</summary>
internal sealed class LedgerMaintenance(IDbContextFactory<CertificateLedger> ledgers, CertificateKeyStore keys, LedgerStartup startup,
    IOptions<CertificateOptions> options, TimeProvider time, ILogger<LedgerMaintenance> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!startup.Completed)
            {
                continue;
            }

            try
            {
                var cutoff = (time.GetUtcNow() - options.Value.IdempotencyRetention).UtcDateTime;
                await using var db = await ledgers.CreateDbContextAsync(stoppingToken);
                // The certificate keeps its key (unique index), so a purged key still replays or refuses another body.
                var purged = await db.IdempotencyKeys.Where(k => k.CreatedAt < cutoff && (k.State == IdempotencyState.Completed || k.LeaseExpiresAt < cutoff))
                    .ExecuteDeleteAsync(stoppingToken);
                if (purged > 0)
                {
                    logger.LogInformation("Purged {Count} idempotency keys older than {Retention}.", purged, options.Value.IdempotencyRetention);
                }

                await keys.GetActiveAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Certificate ledger maintenance failed; it runs again in an hour.");
            }
        }
    }
}

/// <summary>Ready once the ledger is; degraded (still ready) when PDFs cannot be printed.</summary>
internal sealed class CertificatesHealthCheck(LedgerStartup startup, CertificateFont font) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(
            !startup.Completed ? HealthCheckResult.Unhealthy("The certificate ledger is not ready.")
            : !font.Available ? HealthCheckResult.Degraded(font.Problem)
            : HealthCheckResult.Healthy());
}

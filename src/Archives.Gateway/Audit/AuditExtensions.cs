using Archives.Gateway.Certificates;
using Archives.Gateway.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Audit;

internal static class AuditExtensions
{
    /// <summary>
    /// The audit log (档案利用登记) in the certificate ledger's database, the subject keys, and the 503 that
    /// answers an action the log could not register. After <c>AddCertificates</c>: the ledger's database is
    /// made first (its <c>EnsureCreated</c> only works on an empty database), then this adds its table.
    /// </summary>
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<AuditOptions>, AuditOptionsDefaults>();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidation>();

        services.AddDbContextFactory<AuditLog>((provider, options) => options.UseLedgerDatabase(provider));
        services.AddSingleton<SubjectKeys>();
        services.AddLedgerWriter();
        services.AddSingleton<AuditTrail>();
        services.AddHostedService<AuditStartup>();
        services.AddExceptionHandler<AuditUnavailableHandler>();
        return builder;
    }
}

/// <summary>
/// Creates the audit table when the ledger's database has none (a new database, or a ledger from before the
/// audit log). Several instances may start at once; a table another one just made is accepted.
/// </summary>
internal sealed class AuditStartup(IDbContextFactory<AuditLog> logs, LedgerStartup ledger, ILogger<AuditStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!ledger.Completed)
        {
            throw new InvalidOperationException("The audit log needs the certificate ledger's database first: call AddAudit after AddCertificates.");
        }

        await using var db = await logs.CreateDbContextAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            if (await ExistsAsync(db, cancellationToken))
            {
                break;
            }

            try
            {
                // Note: like the ledger, no migrations yet: a change to this table needs them before it ships.
                await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync(cancellationToken);
                logger.LogInformation("Audit log table {Table} created.", AuditLog.Table);
                break;
            }
            catch (Exception e) when (attempt < 5 && e is System.Data.Common.DbException)
            {
                // Another instance is creating it.
                await Task.Delay(200 * attempt, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<bool> ExistsAsync(AuditLog db, CancellationToken cancellationToken)
    {
        var count = db.Database.IsNpgsql()
            ? db.Database.SqlQuery<int>($"SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = {AuditLog.Table}")
            : db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {AuditLog.Table}");
        return await count.SingleAsync(cancellationToken) > 0;
    }
}

/// <summary>
/// An action the audit log could not register is answered 503 (problem+json, <c>Retry-After</c>), whatever
/// feature it came from. Note: this is what keeps the rule that every read of personal data is registered:
/// the feature registers before it serves, so its answer never leaves.
/// </summary>
internal sealed class AuditUnavailableHandler(IProblemDetailsService problems) : UnavailableHandler<AuditUnavailableException>(problems)
{
    protected override string Title => "Audit log unavailable";

    protected override string Detail
        => "Every use of personal records is registered in the audit log (档案利用登记); it could not be registered now, so nothing is served. Retry shortly.";
}

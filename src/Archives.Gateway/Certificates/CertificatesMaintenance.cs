using Archives.Gateway.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Certificates;

/// <summary>Hourly: purges idempotency keys past their retention (and abandoned pending ones), and rotates the signing key when due.</summary>
internal sealed class CertificatesMaintenance(IDbContextFactory<LedgerDatabase> ledgers, CertificateKeyStore keys, LedgerStartup ledger,
    IOptions<CertificateOptions> options, TimeProvider time, ILogger<CertificatesMaintenance> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!ledger.Completed)
            {
                continue;
            }

            try
            {
                await using var db = await ledgers.CreateDbContextAsync(stoppingToken);
                var purged = await IdempotencyStore.PurgeAsync(db, (time.GetUtcNow() - options.Value.IdempotencyRetention).UtcDateTime, stoppingToken);
                if (purged > 0)
                {
                    logger.LogInformation("Purged {Count} idempotency keys older than {Retention}.", purged, options.Value.IdempotencyRetention);
                }

                await keys.GetActiveAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Certificate maintenance failed; it runs again in an hour.");
            }
        }
    }
}

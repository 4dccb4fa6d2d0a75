using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Ledger;

/// <summary>
/// Before the gateway takes requests: the ledger's schema, brought to the newest migration (and WAL mode for
/// SQLite). Several instances may start at once on one ledger: EF Core's migration lock lets one migrate.
/// </summary>
internal sealed class LedgerStartup(IDbContextFactory<LedgerDatabase> ledgers, ILogger<LedgerStartup> logger) : IHostedService
{
    public bool Completed { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await ledgers.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(db.Database.GetDbConnection().DataSource)!);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await LedgerAdoption.AdoptAsync(db, cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
                break;
            }
            catch (DbException e) when (attempt < 5)
            {
                // Another instance made the migrations' history table at the same moment (PostgreSQL's
                // CREATE TABLE IF NOT EXISTS can still collide): its lock decides on the next attempt.
                logger.LogDebug(e, "Migrating the ledger collided with another instance; trying again.");
                await Task.Delay(200 * attempt, cancellationToken);
            }
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets readers run beside the writer; persistent in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        Completed = true;
        logger.LogInformation("Ledger ready ({Provider}, migration {Migration}).", db.Database.ProviderName, db.Database.GetMigrations().LastOrDefault());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

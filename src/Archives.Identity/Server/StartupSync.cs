using System.Data.Common;
using Archives.Identity.Clerks;
using Archives.Identity.Clients;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace Archives.Identity.Server;

/// <summary>
/// Before the server takes requests: creates the store's schema if missing, and syncs the
/// declared scopes, clients and clerks into it. A failure stops the start-up.
/// </summary>
internal sealed class StartupSync(IServiceScopeFactory scopes, IOptionsMonitor<OpenIddictServerOptions> server, ILogger<StartupSync> logger) : IHostedService
{
    /// <summary>Whether the store is ready to serve (read by the readiness check).</summary>
    public bool Completed { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the options now surfaces a bad key or certificate at start-up, not at the first request.
        _ = server.CurrentValue;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        // Note: EnsureCreated makes the schema on an empty database and never changes an existing
        // one; a schema change needs migrations (one set per provider) before it ships.
        var created = await db.Database.EnsureCreatedAsync(cancellationToken);
        try
        {
            await scope.ServiceProvider.GetRequiredService<ClientSync>().SyncAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<ClerkSync>().SyncAsync(cancellationToken);
        }
        catch (DbException e) when (!created)
        {
            // An opaque "no such column" otherwise: say what it means and what to do.
            throw new InvalidOperationException(
                $"The identity store's schema is older than this server's (an existing schema is never changed; the latest change is the clerks' Role column): {e.Message} " +
                "In Development, delete the store (identity.db in Identity:DataDirectory, e.g. src/Archives.Local/.data/identity) and start again; it is rebuilt from gateway-config.", e);
        }

        Completed = true;
        logger.LogInformation("Identity store ready ({Provider}).", db.Database.ProviderName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

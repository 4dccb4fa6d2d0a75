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
        await db.Database.EnsureCreatedAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<ClientSync>().SyncAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<ClerkSync>().SyncAsync(cancellationToken);
        Completed = true;
        logger.LogInformation("Identity store ready ({Provider}).", db.Database.ProviderName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

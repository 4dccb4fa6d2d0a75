using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Archives.Gateway.Ledger;

/// <summary>Ready once the ledger's schema is migrated.</summary>
internal sealed class LedgerHealthCheck(LedgerStartup startup) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(startup.Completed ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The ledger is not ready."));
}

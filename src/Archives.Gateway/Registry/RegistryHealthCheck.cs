using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Archives.Gateway.Registry;

/// <summary>Ready when YARP has a registry with at least one node.</summary>
internal sealed class RegistryHealthCheck(IProxyStateLookup proxyState) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(proxyState.GetClusters().Any()
            ? HealthCheckResult.Healthy("The node registry is loaded.")
            : HealthCheckResult.Unhealthy("The node registry has no nodes."));
}

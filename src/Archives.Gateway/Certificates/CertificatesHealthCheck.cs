using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Archives.Gateway.Certificates;

/// <summary>Degraded (still ready) when PDFs cannot be printed.</summary>
internal sealed class CertificatesHealthCheck(CertificateFont font) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(font.Available ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded(font.Problem));
}

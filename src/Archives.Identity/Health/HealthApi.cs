using Archives.Identity.Server;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Archives.Identity.Health;

/// <summary><c>/health/live</c>: the process runs. <c>/health/ready</c>: the store answers and the start-up sync is done.</summary>
internal static class HealthApi
{
    public static WebApplicationBuilder AddIdentityHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<StoreReady>("store", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapIdentityHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    private sealed class StoreReady(StartupSync sync, IdentityDb db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!sync.Completed)
            {
                return HealthCheckResult.Unhealthy("The start-up sync of clients and clerks has not finished.");
            }

            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The identity store does not answer.");
        }
    }
}

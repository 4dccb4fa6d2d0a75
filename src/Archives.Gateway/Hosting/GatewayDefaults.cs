using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Archives.Gateway.Hosting;

/// <summary>What every gateway endpoint relies on: problem details, JSON, health, the path guard.</summary>
internal static class GatewayDefaults
{
    /// <summary>The tag of the health checks <c>/health/ready</c> runs: each feature that must be ready before traffic tags its own.</summary>
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddGatewayDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddRequestBinding();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddRequestTimeouts();
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication UseGatewayDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<PathGuardMiddleware>();
        app.UseRouting();
        // YARP's route Timeout is enforced by the request-timeouts middleware (between routing and endpoints).
        app.UseRequestTimeouts();
        // Rate limits run in UseGatewayAccess, between authentication and authorization.
        return app;
    }

    /// <summary><c>/health/live</c>: the process runs; <c>/health/ready</c>: every check tagged <c>ready</c> (the features add theirs) passes.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health");
        group.MapHealthChecks("/live", new HealthCheckOptions { Predicate = _ => false });
        group.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        return app;
    }

    /// <summary>The JSON options of the API (web defaults), for code that serialises outside the result pipeline.</summary>
    public static JsonSerializerOptions ApiJson(this IServiceProvider services)
        => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
}

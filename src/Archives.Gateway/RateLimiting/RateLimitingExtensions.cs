using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.RateLimiting;

internal static class RateLimitingExtensions
{
    /// <summary>
    /// ASP.NET Core's rate limiter, per client (the token's <c>client_id</c>) or, without a token, per address at the
    /// anonymous rate, and public verification per address at its own rate; shared through Redis when configured.
    /// Policies: <c>gateway-config/rate-limits.json</c> (<see cref="RateLimitOptions"/>), reloaded on change.
    /// </summary>
    public static WebApplicationBuilder AddGatewayRateLimits(this WebApplicationBuilder builder)
    {
        var options = builder.Services.AddOptions<RateLimitOptions>();
        var policies = new RateLimitPolicyFile(PolicyFile(builder.Configuration, builder.Environment));
        // Made by a factory and started as a hosted service, so that the container disposes it (and its file watcher) with the host.
        builder.Services.AddSingleton(_ => policies);
        builder.Services.AddHostedService(provider => provider.GetRequiredService<RateLimitPolicyFile>());
        if (policies.Configuration is { } file)
        {
            // Gateway:RateLimits:* (bound after it) overrides the file key by key.
            options.Bind(file);
        }

        options.BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddSingleton<RateLimitRedis>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<RateLimitRedis>());
        builder.Services.AddSingleton<GatewayRateLimits>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(
                context => context.RequestServices.GetRequiredService<GatewayRateLimits>().Global(context));
            limiter.AddPolicy(GatewayRateLimits.VerificationPolicy,
                context => context.RequestServices.GetRequiredService<GatewayRateLimits>().Verification(context));
        });
        return builder;
    }

    /// <summary>
    /// <c>Gateway:RateLimitsFile</c> when set (it must exist), else the nearest <c>gateway-config/rate-limits.json</c>
    /// above the content root, else none (the built-in defaults of <see cref="RateLimitOptions"/>).
    /// </summary>
    private static string? PolicyFile(IConfiguration configuration, IHostEnvironment environment)
    {
        if (configuration[RateLimitOptions.FileKey] is { Length: > 0 } configured)
        {
            var path = Path.GetFullPath(configured, environment.ContentRootPath);
            return File.Exists(path) ? path
                : throw new OptionsValidationException(RateLimitOptions.FileKey, typeof(RateLimitOptions), [$"{RateLimitOptions.FileKey}: {path} does not exist."]);
        }

        for (var directory = new DirectoryInfo(environment.ContentRootPath); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "gateway-config", "rate-limits.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var who = GatewayRateLimits.ClientOf(http) is { } client ? $"client '{client}'" : "this address";
        await TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests",
                detail: $"The rate limit of {who} is used up; retry after {seconds} s.",
                extensions: new Dictionary<string, object?> { ["retryAfter"] = seconds })
            .ExecuteAsync(http);
    }
}

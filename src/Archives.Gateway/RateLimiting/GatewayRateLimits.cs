using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.RateLimiting;

/// <summary>The partitions: who a request counts against, under which policy.</summary>
internal sealed class GatewayRateLimits(IOptionsMonitor<RateLimitOptions> options, RateLimitRedis redis, RateLimitPolicyFile file, TimeProvider time, ILogger<GatewayRateLimits> logger)
{
    /// <summary>The policy public verification's endpoints require (<see cref="Verification"/>).</summary>
    public const string VerificationPolicy = "certificate-verification";

    private RateLimitOptions? _lastGood;
    private string? _lastProblem;

    public RateLimitPartition<string> Global(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            return RateLimitPartition.GetNoLimiter("health");
        }

        var policies = Current();
        return ClientOf(context) is { } client
            ? Partition("client", client, policies.For(client))
            : Partition("anonymous", AddressOf(context), policies.Anonymous);
    }

    /// <summary>Public verification: anonymous callers per address at the verification rate; clients count under their own limit only.</summary>
    public RateLimitPartition<string> Verification(HttpContext context)
        => ClientOf(context) is not null
            ? RateLimitPartition.GetNoLimiter("verification-by-client")
            : Partition("verification", AddressOf(context), Current().Verification);

    /// <summary>The client id of a request with a valid token; null for an anonymous one (an invalid token is anonymous).</summary>
    public static string? ClientOf(HttpContext context)
        => context.User.Identity?.IsAuthenticated == true && context.User.FindFirst("client_id")?.Value is { Length: > 0 } client ? client : null;

    /// <summary>
    /// Note: the connection's address; behind a load balancer the forwarded-headers middleware must set it, or
    /// every anonymous caller shares the balancer's budget.
    /// </summary>
    private static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The key names the limit and window, so that an edited policy starts new windows rather than being ignored by limiters made before.</summary>
    private RateLimitPartition<string> Partition(string policy, string who, RateLimitPolicy limit)
        => RateLimitPartition.Get(
            string.Create(CultureInfo.InvariantCulture, $"archives-gateway:{policy}:{who}:{limit.PermitLimit}/{(long)limit.Window.TotalSeconds}s"),
            key => new SharedWindowLimiter(key, limit, redis, time));

    /// <summary>The policies; after an invalid edit of the file, the last valid ones (the edit is logged).</summary>
    private RateLimitOptions Current()
    {
        if (file.TakeUnreported() is { } error)
        {
            logger.LogError(error, "The rate-limit policy file could not be read after an edit; the built-in policies apply until it is fixed.");
        }

        try
        {
            return _lastGood = options.CurrentValue;
        }
        catch (OptionsValidationException e) when (_lastGood is not null)
        {
            var problem = string.Join(" ", e.Failures);
            if (Interlocked.Exchange(ref _lastProblem, problem) != problem)
            {
                logger.LogError("The rate-limit policies are not valid ({Problems}); the previous ones stay in force.", problem);
            }

            return _lastGood;
        }
    }
}

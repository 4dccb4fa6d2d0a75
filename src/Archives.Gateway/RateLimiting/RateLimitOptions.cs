using System.ComponentModel.DataAnnotations;

namespace Archives.Gateway.RateLimiting;

/// <summary>
/// The rate-limit policies (section <c>Gateway:RateLimits</c>, usually from <c>gateway-config/rate-limits.json</c>):
/// a fixed window per client (the token's <c>client_id</c>), per anonymous address, and for public verification.
/// </summary>
internal sealed class RateLimitOptions : IValidatableObject
{
    public const string Section = "Gateway:RateLimits";

    /// <summary>The key naming the policy file (relative to the content root).</summary>
    public const string FileKey = "Gateway:RateLimitsFile";

    /// <summary>Every request with a valid token, per client, unless <see cref="Clients"/> names the client.</summary>
    public RateLimitPolicy Client { get; set; } = new() { PermitLimit = 600 };

    /// <summary>Per-client policies (a service hall serving a province needs more than a partner archive).</summary>
    public Dictionary<string, RateLimitPolicy> Clients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every request without a token (the open catalogue, the registry, verification), per client address.</summary>
    public RateLimitPolicy Anonymous { get; set; } = new() { PermitLimit = 120 };

    /// <summary>Public verification (page and API) by anonymous callers, per client address, on top of <see cref="Anonymous"/>: it bounds guessing codes.</summary>
    public RateLimitPolicy Verification { get; set; } = new() { PermitLimit = 30 };

    public RateLimitPolicy For(string clientId) => Clients.GetValueOrDefault(clientId) ?? Client;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var policies = new[] { ("Client", Client), ("Anonymous", Anonymous), ("Verification", Verification) }
            .Concat(Clients.Select(c => ($"Clients:{c.Key}", c.Value)));
        foreach (var (name, policy) in policies)
        {
            if (policy.PermitLimit is < 1 or > 1_000_000)
            {
                yield return new ValidationResult($"{Section}:{name}:PermitLimit is between 1 and 1000000.", [name]);
            }

            // Whole seconds: the shared (Redis) windows count in seconds.
            if (policy.Window < TimeSpan.FromSeconds(1) || policy.Window > TimeSpan.FromDays(1) || policy.Window.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                yield return new ValidationResult($"{Section}:{name}:Window is a whole number of seconds between 00:00:01 and 1.00:00:00.", [name]);
            }
        }
    }
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Federation;

/// <summary>
/// The resilience library's HTTP strategies around every node call, outer to inner: retry (safe methods only),
/// circuit breaker, attempt timeout; one pipeline per node authority.
/// </summary>
/// <remarks>
/// The standard pipeline's rate limiter and total timeout are left out, as each would run on every one of a
/// search's hundreds of calls for nothing: its bulkhead (1000 concurrent calls per node) binds far beyond what the
/// gateway's own rate limits admit, and a call is bounded already, at (1 + <c>MaxRetryAttempts</c>) ×
/// <see cref="AttemptTimeout"/> plus the delays (about 5.2 s; a certificate's evidence call has no other bound),
/// a federated one by its <see cref="FederationOptions.Deadline"/>.
/// </remarks>
public sealed class NodeResilienceOptions
{
    /// <summary>
    /// One retry after 200 ms (with jitter) of a transient failure; never of an unsafe method (a POST record search).
    /// A node's <c>Retry-After</c> is not waited for (<c>ShouldRetryAfterHeader</c> off): a node call has seconds,
    /// a node restarting asks for minutes, and the library's <c>MaxDelay</c> does not cap that wait.
    /// </summary>
    [Required]
    [ValidateObjectMembers]
    public HttpRetryStrategyOptions Retry { get; set; } = new()
    {
        MaxRetryAttempts = 1,
        Delay = TimeSpan.FromMilliseconds(200),
        ShouldRetryAfterHeader = false,
    };

    /// <summary>A node's circuit opens when half of at least 5 calls in 30 s failed, for 15 s.</summary>
    [Required]
    [ValidateObjectMembers]
    public HttpCircuitBreakerStrategyOptions CircuitBreaker { get; set; } = new()
    {
        FailureRatio = 0.5,
        MinimumThroughput = 5,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(15),
    };

    /// <summary>One attempt may take 2.5 s, its body read included.</summary>
    [Required]
    [ValidateObjectMembers]
    public HttpTimeoutStrategyOptions AttemptTimeout { get; set; } = new() { Timeout = TimeSpan.FromSeconds(2.5) };
}

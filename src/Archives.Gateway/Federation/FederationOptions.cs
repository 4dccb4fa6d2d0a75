using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Federation;

/// <summary>Federated searches (section <c>Gateway:Federation</c>).</summary>
public sealed class FederationOptions
{
    public const string Section = "Gateway:Federation";

    /// <summary>The most one federated search may take; nodes that have not answered by then are <c>timeout</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00", ErrorMessage = "Gateway:Federation:Deadline must be between 100 ms and 1 min.")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The most nodes a request may name in <c>nodes</c>.</summary>
    [Range(1, 1000, ErrorMessage = "Gateway:Federation:MaxNodesPerRequest must be between 1 and 1000.")]
    public int MaxNodesPerRequest { get; set; } = 50;

    /// <summary>The largest catalogue page.</summary>
    [Range(1, Archives.Contracts.NodeContract.MaxLimit, ErrorMessage = "Gateway:Federation:MaxLimit must be between 1 and the node contract's MaxLimit (100).")]
    public int MaxLimit { get; set; } = 100;

    /// <summary>The catalogue page size when none is asked for.</summary>
    [Range(1, Archives.Contracts.NodeContract.MaxLimit, ErrorMessage = "Gateway:Federation:DefaultLimit must be between 1 and 100.")]
    public int DefaultLimit { get; set; } = 20;

    /// <summary>The most regions a personal-record search may name.</summary>
    [Range(1, 100, ErrorMessage = "Gateway:Federation:MaxRegionsPerRequest must be between 1 and 100.")]
    public int MaxRegionsPerRequest { get; set; } = 10;

    /// <summary>The longest federated cursor accepted, in characters.</summary>
    [Range(256, 65536, ErrorMessage = "Gateway:Federation:MaxCursorLength must be between 256 and 65536.")]
    public int MaxCursorLength { get; set; } = 8192;
}

/// <summary>Calls to nodes (section <c>Gateway:NodeClient</c>); the resilience pipeline is under <c>Gateway:NodeClient:Resilience</c>.</summary>
public sealed class NodeClientOptions
{
    public const string Section = "Gateway:NodeClient";

    /// <summary>The largest node response body read, in bytes; a larger one is an error, so a node cannot exhaust the gateway's memory.</summary>
    [Range(1024, 64 * 1024 * 1024, ErrorMessage = "Gateway:NodeClient:MaxResponseBytes must be between 1 KiB and 64 MiB.")]
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The resilience strategies around every node call (<c>Gateway:NodeClient:Resilience</c>).</summary>
    [Required]
    [ValidateObjectMembers]
    public NodeResilienceOptions Resilience { get; set; } = new();
}

/// <summary>
/// The resilience strategies around every node call, outer to inner: retry (safe methods only), circuit breaker,
/// attempt timeout. Each is the resilience library's own HTTP strategy with its options; one pipeline per node
/// authority (see <see cref="NodeClientExtensions.AddNodeClients"/>).
/// </summary>
/// <remarks>
/// The standard pipeline's other two strategies are left out. Its rate limiter is a bulkhead of 1000 concurrent
/// calls per node, which would bind only far beyond what the gateway's own rate limits admit and its cache passes
/// on. Its total timeout bounds the retries of one call, which are bounded here already: a call takes at most
/// (1 + <c>MaxRetryAttempts</c>) × <see cref="AttemptTimeout"/> plus the retry delays (about 5.2 s with the
/// defaults) — a certificate's evidence call has no other bound — and a federated search's calls end at its
/// <see cref="FederationOptions.Deadline"/> anyway. Both ran on each of a search's hundreds of calls (see the
/// fan-out benchmark's results).
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

using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Telemetry;

namespace Archives.Gateway.Federation;

internal static class NodeClientExtensions
{
    /// <summary>
    /// One named HttpClient for all nodes with a resilience pipeline of the library's own HTTP strategies
    /// (<see cref="NodeResilienceOptions"/>), one pipeline instance per node authority, so that one failing
    /// archive opens only its own circuit:
    /// <list type="bullet">
    /// <item>handler order (outer → inner): resilience (retry, circuit breaker, attempt timeout) → gateway
    /// credential (seam) → response size limit;</item>
    /// <item>retries only for safe methods (a personal-record search is a POST and is never repeated);</item>
    /// <item><c>HttpClient.Timeout</c> is infinite: the attempt timeout and the callers' deadlines govern;</item>
    /// <item>redirects are not followed: the node contract has none, and a node must not send the gateway's
    /// calls elsewhere; a 3xx is an error like any other non-success;</item>
    /// <item>no HttpClient request logging: a federated search makes one call per node (hundreds), and each
    /// answer already reports every node's status and latency; failures are logged by <see cref="NodeFanOut"/>.</item>
    /// </list>
    /// </summary>
    public static WebApplicationBuilder AddNodeClients(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NodeClientOptions>()
            .BindConfiguration(NodeClientOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                o => o.Resilience.CircuitBreaker.SamplingDuration >= 2 * o.Resilience.AttemptTimeout.Timeout,
                "Gateway:NodeClient:Resilience:CircuitBreaker:SamplingDuration must be at least twice the AttemptTimeout, so that slow attempts are counted.")
            .PostConfigure(o => o.Resilience.Retry.DisableForUnsafeHttpMethods())
            .ValidateOnStart();

        builder.Services.AddTransient<NodeCredentialHandler>();
        builder.Services.AddTransient<ResponseSizeLimitHandler>();
        builder.Services.AddSingleton<NodeClientFactory>();

        var client = builder.Services.AddHttpClient(NodeClientFactory.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // No cookie jar: the default handler keeps one for the whole client, consulted on every call, in
                // which nodes on one host would share cookies (cookies ignore ports); the proxy drops them too.
                UseCookies = false,
                // Note: redirects are not followed. The node contract has none, and a node (or whoever answers at its
                // address) must not make the gateway call any address it names: hosts on the gateway's network, too.
                AllowAutoRedirect = false,
                // Connections are renewed one by one as they age (DNS changes still reach them) instead of the
                // factory's default of replacing the whole handler every 2 minutes, which made the next search
                // open a new connection to each of hundreds of nodes at once.
                PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        client.AddResilienceHandler(PipelineIdentifier, static (pipeline, context) =>
            {
                context.EnableReloads<NodeClientOptions>();
                var options = context.GetOptions<NodeClientOptions>().Resilience;
                pipeline.AddRetry(options.Retry).AddCircuitBreaker(options.CircuitBreaker).AddTimeout(options.AttemptTimeout);
            })
            .SelectPipelineByAuthority();
        client.AddHttpMessageHandler<NodeCredentialHandler>();
        client.AddHttpMessageHandler<ResponseSizeLimitHandler>();
        builder.Services.Configure<TelemetryOptions>(telemetry => telemetry.SeverityProvider = SeverityOfNodeCallEvents(telemetry.SeverityProvider));
        return builder;
    }

    /// <summary>The resilience pipeline's name, as its telemetry reports it (<c>{client}-{identifier}</c>).</summary>
    private const string PipelineIdentifier = "calls";
    private const string PipelineName = $"{NodeClientFactory.HttpClientName}-{PipelineIdentifier}";

    /// <summary>
    /// Polly's events of one node call (each attempt, a retry, an attempt's timeout) are logged at
    /// <see cref="ResilienceEventSeverity.Debug"/> instead of Warning and Error with a stack trace each: a search
    /// with a hanging archive otherwise logged three entries of ~40 lines per node per search, and the fan-out
    /// already logs each failed node once, with its status and latency. A circuit opening, half-opening or
    /// closing keeps the library's severity: that is news about an archive. Pipelines other than the node
    /// calls' keep theirs.
    /// </summary>
    private static Func<SeverityProviderArguments, ResilienceEventSeverity> SeverityOfNodeCallEvents(Func<SeverityProviderArguments, ResilienceEventSeverity>? configured)
        => args => args.Source.PipelineName == PipelineName && args.Event.EventName is "ExecutionAttempt" or "OnRetry" or "OnTimeout"
            ? ResilienceEventSeverity.Debug
            : configured?.Invoke(args) ?? args.Event.Severity;
}

using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Telemetry;

namespace Archives.Gateway.Federation;

internal static class NodeClientExtensions
{
    /// <summary>
    /// One named HttpClient for all nodes: resilience (<see cref="NodeResilienceOptions"/>, one pipeline per node
    /// authority so that one failing archive opens only its own circuit, retries for safe methods only) → node
    /// credential → response size limit. <c>HttpClient.Timeout</c> is infinite (the attempt timeout and the callers'
    /// deadlines govern), and there is no request logging: a search makes hundreds of calls, its answer reports each
    /// node, and <see cref="NodeFanOut"/> logs failures.
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
                // Connections are renewed one by one as they age (DNS changes still reach them), rather than the whole
                // handler every 2 minutes, after which a search would open a connection to each of hundreds of nodes at once.
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
    /// A node call's attempt, retry and timeout events at Debug rather than Warning with a stack trace: a hanging
    /// archive would log three ~40-line entries per search, and the fan-out logs each failed node once anyway. A
    /// circuit opening or closing keeps the library's severity: that is news about an archive.
    /// </summary>
    private static Func<SeverityProviderArguments, ResilienceEventSeverity> SeverityOfNodeCallEvents(Func<SeverityProviderArguments, ResilienceEventSeverity>? configured)
        => args => args.Source.PipelineName == PipelineName && args.Event.EventName is "ExecutionAttempt" or "OnRetry" or "OnTimeout"
            ? ResilienceEventSeverity.Debug
            : configured?.Invoke(args) ?? args.Event.Severity;
}

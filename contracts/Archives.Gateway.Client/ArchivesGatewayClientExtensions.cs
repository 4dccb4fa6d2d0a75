using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Archives.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Archives.Gateway.Client;

/// <summary>Registers the Archives Gateway SDK.</summary>
public static class ArchivesGatewayClientExtensions
{
    /// <summary>The name of the SDK's resilience pipeline (for <c>AddResilienceEnricher</c>, metrics and logs).</summary>
    public const string PipelineName = "archives-gateway";

    /// <summary>
    /// The name of the <see cref="IGatewayRecordStream"/>'s <see cref="HttpClient"/>, to add handlers to it
    /// (<c>services.AddHttpClient(RecordStreamClientName).AddHttpMessageHandler(…)</c>).
    /// </summary>
    public const string RecordStreamClientName = "Archives.Gateway.Client.RecordStream";

    /// <summary>The JSON of the gateway's API (web defaults, nulls left out), for Refit and the record stream.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    internal static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(Json));

    /// <summary>
    /// Registers <see cref="IArchivesGatewayApi"/> (and each of its parts, <see cref="ICertificatesApi"/>,
    /// <see cref="IGatewayCatalogueApi"/>, <see cref="IGatewayRecordsApi"/>, <see cref="IGatewayNodesApi"/>):
    /// a Refit client of the gateway that
    /// <list type="bullet">
    /// <item>sends the app's client-credentials token, fetched from the token endpoint of the identity
    /// server's discovery document, cached and renewed before expiry, one fetch however many calls wait;
    /// or, when <see cref="ArchivesGatewayClientOptions.AccessTokenProvider"/> is set, the token it gives
    /// (the signed-in user's), on every attempt;</item>
    /// <item>gives each certificate issuance an <c>Idempotency-Key</c> unless the caller passed one, the
    /// same on every retry of that call;</item>
    /// <item>retries transient failures (network errors, timeouts, 408, 429, 5xx, honouring a
    /// <c>Retry-After</c> of up to <see cref="ArchivesGatewayClientOptions.MaxRetryAfter"/>; a longer one comes back
    /// to the app as the response) only where a retry cannot repeat an effect: GET requests, and requests that
    /// carry an <c>Idempotency-Key</c> (issuance, which also waits out a 409 "in progress"). Other POSTs
    /// (revocation, searches, verification) are sent once.</item>
    /// </list>
    /// Also registers <see cref="IGatewayRecordStream"/>, the streaming record search, with the same token and
    /// no retries (a personal search is registered in the audit log each time; it is never repeated for the app).
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Sets the gateway's and the identity server's addresses and the app's credentials.</param>
    /// <returns>The Refit client's builder, to add handlers or change the resilience options.</returns>
    public static IHttpClientBuilder AddArchivesGatewayClient(this IServiceCollection services, Action<ArchivesGatewayClientOptions> configure)
    {
        services.AddOptions<ArchivesGatewayClientOptions>()
            .Configure(configure)
            .Validate(o => o.BaseAddress is { IsAbsoluteUri: true }, "ArchivesGatewayClientOptions.BaseAddress: the gateway's absolute address is required.")
            // Client credentials are needed only when the app does not send its user's token.
            .Validate(o => o.AccessTokenProvider is not null || o.Authority is { IsAbsoluteUri: true },
                "ArchivesGatewayClientOptions.Authority: the identity server's absolute address is required (or set AccessTokenProvider).")
            .Validate(o => o.AccessTokenProvider is not null || (o.ClientId.Length > 0 && o.ClientSecret.Length > 0),
                "ArchivesGatewayClientOptions.ClientId and ClientSecret are required (or set AccessTokenProvider).")
            .Validate(o => o.AccessTokenProvider is not null || o.RequireHttps || o.Authority?.IsLoopback == true,
                "ArchivesGatewayClientOptions.RequireHttps may be false only for a loopback identity server.")
            .ValidateOnStart();

        services.AddHttpClient(GatewayTokenSource.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayTokenSource>();
        services.AddTransient<GatewayTokenHandler>();
        services.AddTransient<IdempotencyKeyHandler>();

        var builder = services.AddRefitGeneratedClient<IArchivesGatewayApi>(Settings)
            .ConfigureHttpClient((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<ArchivesGatewayClientOptions>>().Value;
                http.BaseAddress = options.BaseAddress;
                // The resilience pipeline's total timeout is the limit.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            // Outside the retries, so that every retry of one call carries the same key.
            .AddHttpMessageHandler<IdempotencyKeyHandler>();

        builder.AddResilienceHandler(PipelineName, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<ArchivesGatewayClientOptions>>().Value;
            pipeline
                .AddTimeout(options.TotalTimeout)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(500),
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context.GetRequestMessage(), args.Outcome, options.MaxRetryAfter)),
                })
                .AddTimeout(options.AttemptTimeout);
        });

        // Inside the retries: each attempt gets a token that is valid now.
        builder.AddHttpMessageHandler<GatewayTokenHandler>();

        services.AddTransient<ICertificatesApi>(provider => provider.GetRequiredService<IArchivesGatewayApi>());
        services.AddTransient<IGatewayCatalogueApi>(provider => provider.GetRequiredService<IArchivesGatewayApi>());
        services.AddTransient<IGatewayRecordsApi>(provider => provider.GetRequiredService<IArchivesGatewayApi>());
        services.AddTransient<IGatewayNodesApi>(provider => provider.GetRequiredService<IArchivesGatewayApi>());

        // Its own client: the retry pipeline above would repeat a search, and its total timeout would cut a stream.
        services.AddHttpClient<IGatewayRecordStream, GatewayRecordStream>(RecordStreamClientName, (provider, http) =>
            {
                // Until the answer's headers; the stream itself is bounded by TotalTimeout.
                http.Timeout = provider.GetRequiredService<IOptions<ArchivesGatewayClientOptions>>().Value.AttemptTimeout;
            })
            .AddHttpMessageHandler<GatewayTokenHandler>();
        return builder;
    }

    /// <summary>
    /// Issues a certificate with an <c>Idempotency-Key</c> the SDK chooses (kept across its own
    /// retries). Pass your own key to <see cref="ICertificatesApi.IssueAsync"/> instead when your app
    /// may itself retry later, e.g. after a restart.
    /// </summary>
    /// <param name="api">The gateway client.</param>
    /// <param name="request">What to certify, for whom, why.</param>
    /// <param name="cancellationToken">Cancels the call (the certificate may still be issued).</param>
    /// <returns>201 with the certificate, or 202 with a retrieval while a paper record is fetched.</returns>
    public static Task<IApiResponse<IssuedCertificate>> IssueAsync(this ICertificatesApi api, CertificateRequest request, CancellationToken cancellationToken = default)
        => api.IssueAsync(null, request, cancellationToken);

    /// <summary>Whether a failed attempt may be repeated: it was transient, and repeating the request cannot repeat an effect.</summary>
    internal static bool ShouldRetry(HttpRequestMessage? request, Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter)
    {
        if (request is null || RetryAfter(outcome.Result) > maxRetryAfter)
        {
            return false;
        }

        var keyed = request.Headers.Contains(IdempotencyKeyHandler.Header);
        var safe = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || keyed;
        if (!safe)
        {
            return false;
        }

        // 409 on a keyed request: the first attempt is still being served; its answer comes on retry.
        return HttpClientResiliencePredicates.IsTransient(outcome)
            || (keyed && outcome.Result?.StatusCode == HttpStatusCode.Conflict);
    }

    /// <summary>How long the gateway asked to wait (<c>Retry-After</c> as seconds or as a date); zero when it did not.</summary>
    private static TimeSpan RetryAfter(HttpResponseMessage? response) => response?.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => TimeSpan.Zero,
    };
}

using System.Text.Json;
using Archives.Gateway.Access;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Archives.Gateway.NodeToken;

/// <summary>The gateway's own <c>node.api</c> access token (client credentials), shared by every node call and the pass-through.</summary>
/// <remarks>
/// One token is held until <see cref="NodeTokenOptions.RenewBefore"/> its expiry. Renewal is single-flight: one
/// request however many calls wait, and a caller that gives up does not cancel it for the others. When renewal
/// fails while the held token is unexpired, that token is used and renewal is tried again on the next call.
/// </remarks>
internal sealed class NodeTokenSource : IDisposable
{
    public const string HttpClientName = "identity";

    private readonly IHttpClientFactory _http;
    private readonly NodeTokenOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeTokenSource> _logger;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _discovery;
    private readonly HttpClient _discoveryClient;
    private readonly Lock _gate = new();
    private Token? _current;
    private Task<Token>? _renewal;

    public NodeTokenSource(
        IHttpClientFactory http,
        IOptions<GatewayAuthOptions> auth,
        IOptions<NodeTokenOptions> options,
        IHostEnvironment environment,
        TimeProvider time,
        ILogger<NodeTokenSource> logger)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _discoveryClient = http.CreateClient(HttpClientName);
        var metadata = new Uri(auth.Value.Authority!, ".well-known/openid-configuration").AbsoluteUri;

        // Note: outside Development the token endpoint is only learnt over HTTPS, since whoever could
        // change it would receive the gateway's client secret.
        _discovery = new ConfigurationManager<OpenIdConnectConfiguration>(
            metadata,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(_discoveryClient) { RequireHttps = !environment.IsDevelopment() });
    }

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
        => (await GetAsync(cancellationToken)).Value;

    /// <summary><c>Bearer {token}</c>, made once per token rather than once per request.</summary>
    public async ValueTask<string> GetAuthorizationAsync(CancellationToken cancellationToken)
        => (await GetAsync(cancellationToken)).Authorization;

    private ValueTask<Token> GetAsync(CancellationToken cancellationToken)
    {
        Task<Token> renewal;
        lock (_gate)
        {
            if (_current is { } held && _time.GetUtcNow() < held.RenewAt)
            {
                return ValueTask.FromResult(held);
            }

            renewal = _renewal ??= RenewAsync();
        }

        return new ValueTask<Token>(renewal.WaitAsync(cancellationToken));
    }

    /// <summary>Forgets <paramref name="token"/> (a node refused it, e.g. after a key rotation) so the next call gets a new one.</summary>
    public void Reject(string token)
    {
        lock (_gate)
        {
            if (_current?.Value == token)
            {
                _current = null;
            }
        }
    }

    private async Task<Token> RenewAsync()
    {
        // Never completes synchronously, so _renewal is set before the finally below clears it.
        await Task.Yield();
        try
        {
            using var timeout = new CancellationTokenSource(_options.RequestTimeout);
            var token = await RequestAsync(timeout.Token);
            lock (_gate)
            {
                _current = token;
            }

            return token;
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                if (_current is { } held && _time.GetUtcNow() < held.ExpiresAt)
                {
                    _logger.LogWarning(e, "Renewing the gateway's node token failed; the current one stays in use until {ExpiresAt}.", held.ExpiresAt);
                    return held;
                }
            }

            throw new HttpRequestException($"The gateway could not get its node token from the identity server: {e.Message}", e);
        }
        finally
        {
            lock (_gate)
            {
                _renewal = null;
            }
        }
    }

    private async Task<Token> RequestAsync(CancellationToken cancellationToken)
    {
        var configuration = await _discovery.GetConfigurationAsync(cancellationToken);
        var endpoint = configuration.TokenEndpoint
            ?? throw new InvalidOperationException("The identity server's discovery document names no token_endpoint.");

        var requested = _time.GetUtcNow();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = _options.ClientId,
            ["client_secret"] = _options.ClientSecret!,
            ["scope"] = _options.Scope,
        });
        using var response = await _http.CreateClient(HttpClientName).PostAsync(endpoint, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        using var json = ParseOrNull(body);
        if (!response.IsSuccessStatusCode || json is null
            || !json.RootElement.TryGetProperty("access_token", out var accessToken) || accessToken.GetString() is not { Length: > 0 } value)
        {
            // The error code only (RFC 6749 §5.2): a body could echo what was sent.
            var error = json is not null && json.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
            throw new InvalidOperationException($"the token endpoint answered {(int)response.StatusCode} {error ?? "without an access token"}.");
        }

        var lifetime = json.RootElement.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt32(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(5);
        var renewBefore = _options.RenewBefore < lifetime / 2 ? _options.RenewBefore : lifetime / 2;
        _logger.LogInformation("The gateway got its node token (client {ClientId}, scope {Scope}), valid for {Lifetime}.", _options.ClientId, _options.Scope, lifetime);
        return new Token(value, requested + lifetime - renewBefore, requested + lifetime);
    }

    private static JsonDocument? ParseOrNull(string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _discoveryClient.Dispose();

    private sealed record Token(string Value, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt)
    {
        public string Authorization { get; } = "Bearer " + Value;
    }
}

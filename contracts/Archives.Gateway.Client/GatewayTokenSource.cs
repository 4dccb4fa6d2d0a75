using Duende.IdentityModel.Client;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Client;

/// <summary>
/// The app's access token for the gateway: client credentials at the token endpoint that the identity
/// server's discovery document names, held until <see cref="ArchivesGatewayClientOptions.RenewBefore"/>
/// its expiry and renewed single-flight (however many calls need a token at once, one request goes
/// out, and a caller that gives up does not cancel it for the others).
/// </summary>
/// <remarks>
/// Written here because Duende.AccessTokenManagement, which does this, is not available to the
/// project; discovery and the token request are Duende.IdentityModel's.
/// </remarks>
public sealed class GatewayTokenSource
{
    /// <summary>The named <see cref="HttpClient"/> for the identity server (discovery and token requests).</summary>
    public const string HttpClientName = "Archives.Gateway.Client.Identity";

    private readonly IHttpClientFactory _http;
    private readonly ArchivesGatewayClientOptions _options;
    private readonly TimeProvider _time;
    private readonly DiscoveryCache _discovery;
    private readonly Lock _gate = new();
    private (string Value, DateTimeOffset RenewAt)? _current;
    private Task<string>? _renewal;

    /// <summary>Creates the source; the DI container does this.</summary>
    public GatewayTokenSource(IHttpClientFactory http, IOptions<ArchivesGatewayClientOptions> options, TimeProvider time)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _discovery = new DiscoveryCache(
            _options.Authority!.AbsoluteUri,
            () => _http.CreateClient(HttpClientName),
            new DiscoveryPolicy { RequireHttps = _options.RequireHttps });
    }

    /// <summary>A token valid for at least <see cref="ArchivesGatewayClientOptions.RenewBefore"/>; fetched first when needed.</summary>
    /// <param name="cancellationToken">Stops waiting (the fetch itself goes on for other callers).</param>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        Task<string> renewal;
        lock (_gate)
        {
            if (_current is { } held && _time.GetUtcNow() < held.RenewAt)
            {
                return held.Value;
            }

            renewal = _renewal ??= RenewAsync();
        }

        return await renewal.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets <paramref name="token"/> (the gateway refused it) so that the next call fetches a new one.</summary>
    /// <param name="token">The refused token.</param>
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

    private async Task<string> RenewAsync()
    {
        // Never completes synchronously, so _renewal is set before the finally below clears it.
        await Task.Yield();
        try
        {
            using var timeout = new CancellationTokenSource(_options.AttemptTimeout);
            var discovery = await _discovery.GetAsync();
            if (discovery.IsError)
            {
                throw new HttpRequestException($"The identity server's discovery document could not be read: {discovery.Error}");
            }

            var requested = _time.GetUtcNow();
            using var http = _http.CreateClient(HttpClientName);
            var response = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = discovery.TokenEndpoint,
                ClientId = _options.ClientId,
                ClientSecret = _options.ClientSecret,
                Scope = string.Join(' ', _options.Scopes),
            }, timeout.Token);
            if (response.IsError || response.AccessToken is not { Length: > 0 } token)
            {
                throw new HttpRequestException($"The identity server refused a token to client '{_options.ClientId}': {response.Error} {response.ErrorDescription}".TrimEnd());
            }

            // Renew a little before expiry, but never hold a token for less than half its life.
            var lifetime = TimeSpan.FromSeconds(response.ExpiresIn);
            var renewAt = requested + (lifetime > _options.RenewBefore * 2 ? lifetime - _options.RenewBefore : lifetime / 2);
            lock (_gate)
            {
                _current = (token, renewAt);
            }

            return token;
        }
        finally
        {
            lock (_gate)
            {
                _renewal = null;
            }
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Client;

/// <summary>
/// Adds the bearer token to each attempt: the user's, from <see cref="ArchivesGatewayClientOptions.AccessTokenProvider"/>,
/// when the app set one, else the app's own (<see cref="GatewayTokenSource"/>, made only then: it needs the client credentials).
/// </summary>
internal sealed class GatewayTokenHandler(IServiceProvider services, IOptions<ArchivesGatewayClientOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (options.Value.AccessTokenProvider is { } user)
        {
            var delegated = await user(services, cancellationToken);
            if (string.IsNullOrWhiteSpace(delegated))
            {
                throw new InvalidOperationException("ArchivesGatewayClientOptions.AccessTokenProvider returned no access token.");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", delegated);
            return await base.SendAsync(request, cancellationToken);
        }

        var tokens = services.GetRequiredService<GatewayTokenSource>();
        var token = await tokens.GetTokenAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // E.g. the identity server rotated its keys: the next call fetches a new token.
            tokens.Reject(token);
        }

        return response;
    }
}

/// <summary>
/// Gives certificate issuance an <c>Idempotency-Key</c> when the caller did not: a fresh UUID per call,
/// set before the retry pipeline, so every retry of that call carries the same key and the gateway
/// answers them all with the one certificate.
/// </summary>
internal sealed class IdempotencyKeyHandler : DelegatingHandler
{
    public const string Header = "Idempotency-Key";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath.TrimEnd('/').EndsWith("/api/v1/certificates", StringComparison.Ordinal) == true
            && !request.Headers.Contains(Header))
        {
            request.Headers.Add(Header, Guid.NewGuid().ToString());
        }

        return base.SendAsync(request, cancellationToken);
    }
}

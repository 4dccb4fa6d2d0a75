using System.Net;
using System.Net.Http.Headers;

namespace Archives.Gateway.Client;

/// <summary>Adds the app's bearer token (<see cref="GatewayTokenSource"/>) to each attempt.</summary>
internal sealed class GatewayTokenHandler(GatewayTokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
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

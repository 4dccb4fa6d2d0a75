using System.Net;
using Archives.Gateway.NodeToken;
using Microsoft.Net.Http.Headers;

namespace Archives.Gateway.Federation;

/// <summary>
/// Sends the gateway's own <c>node.api</c> token with every call to a node, replacing any Authorization already
/// there: a caller's token never reaches a node. Inside the resilience pipeline, so every attempt asks for a token
/// and a token a node refused is not used again.
/// </summary>
internal sealed class NodeCredentialHandler(NodeTokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The header value made once per token (as the proxy does), not an AuthenticationHeaderValue per call.
        var authorization = await tokens.GetAuthorizationAsync(cancellationToken);
        request.Headers.Remove(HeaderNames.Authorization);
        request.Headers.TryAddWithoutValidation(HeaderNames.Authorization, authorization);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            tokens.Reject(authorization["Bearer ".Length..]);
        }

        return response;
    }
}

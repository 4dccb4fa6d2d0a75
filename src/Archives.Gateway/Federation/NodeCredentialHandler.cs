using System.Net;
using System.Net.Http.Headers;
using Archives.Gateway.NodeToken;

namespace Archives.Gateway.Federation;

/// <summary>
/// Attaches the gateway's own node token (<c>node.api</c>, client credentials from
/// Archives.Identity) to every call to a node, replacing any Authorization already there: a
/// caller's token never reaches a node. Inside the resilience pipeline, so every attempt asks for a
/// token and a token a node refused is not used again.
/// </summary>
internal sealed class NodeCredentialHandler(NodeTokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            tokens.Reject(token);
        }

        return response;
    }
}

namespace Archives.Gateway.Federation;

/// <summary>
/// The seam where the gateway's own node token (<c>node.api</c>, client credentials from
/// Archives.Identity) is attached to every call to a node. Issue 3 has no auth yet, so it passes
/// requests through unchanged.
/// </summary>
internal sealed class NodeCredentialHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => base.SendAsync(request, cancellationToken);
}

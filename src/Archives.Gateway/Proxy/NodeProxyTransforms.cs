using Archives.Gateway.NodeToken;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Archives.Gateway.Proxy;

/// <summary>
/// Header rules of the pass-through, beyond YARP's dropping of hop-by-hop headers: the gateway sets
/// <c>X-Forwarded-*</c> and never trusts what a client sent under those names (or <c>Forwarded</c>,
/// <c>X-Real-IP</c>); the client's <c>Authorization</c> and <c>Cookie</c>, credentials for the gateway, are not
/// passed on, and a node gets the gateway's own <c>node.api</c> token; responses lose <c>Set-Cookie</c>,
/// <c>Server</c> and <c>X-Powered-By</c>.
/// </summary>
internal sealed class NodeProxyTransforms(NodeTokenSource tokens) : ITransformProvider
{
    private static readonly string[] InternalRequestHeaders =
    [
        "Authorization", "Cookie", "Forwarded", "X-Real-IP", "X-Forwarded-Port", "X-Forwarded-Server",
        "X-Original-For", "X-Original-Host", "X-Original-Proto", "X-Original-URL", "X-Rewrite-URL",
    ];

    private static readonly string[] InternalResponseHeaders = ["Set-Cookie", "Server", "X-Powered-By", "X-AspNet-Version"];

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (context.Route.Metadata?.TryGetValue(NodeRouteConfigProvider.NodeIdMetadata, out var nodeId) != true || nodeId is null)
        {
            return;
        }

        // Set (not Append): the gateway is the first hop it trusts, so incoming values are replaced.
        context.UseDefaultForwarders = false;
        context.AddXForwardedFor(action: ForwardedTransformActions.Set);
        context.AddXForwardedProto(action: ForwardedTransformActions.Set);
        context.AddXForwardedHost(action: ForwardedTransformActions.Set);
        var prefix = "/nodes/" + nodeId;
        context.AddRequestTransform(transform =>
        {
            var headers = transform.ProxyRequest.Headers;
            headers.Remove("X-Forwarded-Prefix");
            headers.TryAddWithoutValidation("X-Forwarded-Prefix", prefix);
            return ValueTask.CompletedTask;
        });

        foreach (var header in InternalRequestHeaders)
        {
            context.AddRequestHeaderRemove(header);
        }

        foreach (var header in InternalResponseHeaders)
        {
            context.AddResponseHeaderRemove(header, ResponseCondition.Always);
        }

        // After the removals above: the node sees the gateway's token and nothing the caller sent.
        context.AddRequestTransform(async transform =>
        {
            var authorization = await tokens.GetAuthorizationAsync(transform.HttpContext.RequestAborted);
            var headers = transform.ProxyRequest.Headers;
            headers.Remove("Authorization");
            headers.TryAddWithoutValidation("Authorization", authorization);
        });
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Archives.Gateway.Proxy;

internal static class NodeProxyExtensions
{
    /// <summary>The pass-through's transforms and options; the routes come from the registry.</summary>
    public static WebApplicationBuilder AddNodeProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // What AddTransforms<T>() registers; AddReverseProxy() itself runs once, in AddNodeRegistry.
        builder.Services.AddSingleton<ITransformProvider, NodeProxyTransforms>();
        return builder;
    }

    /// <summary>
    /// <c>/nodes/{nodeId}/{**path}</c>: YARP's per-node routes (streaming both ways, load balancing,
    /// passive health), and a fallback that answers 404 for a node id the registry does not hold.
    /// </summary>
    public static IEndpointRouteBuilder MapNodeProxy(this IEndpointRouteBuilder app)
    {
        // The default pipeline: session affinity, load balancing, passive health checks.
        app.MapReverseProxy();

        // Literal per-node routes win over this parameterised one, so it only sees unknown nodes.
        app.Map("/nodes/{nodeId}/{**path}", UnknownNode)
            .WithTags("Proxy")
            .WithOrder(int.MaxValue);
        return app;
    }

    private static ProblemHttpResult UnknownNode(string nodeId)
        => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown node",
            detail: $"No archive node '{Truncate(nodeId)}' is in the registry; GET /api/v1/nodes lists them.",
            extensions: new Dictionary<string, object?> { ["field"] = "nodeId" });

    private static string Truncate(string s) => s.Length <= 32 ? s : s[..32] + "…";
}

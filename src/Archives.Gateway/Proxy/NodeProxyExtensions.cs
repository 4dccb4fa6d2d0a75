using Archives.Gateway.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Archives.Gateway.Proxy;

internal static class NodeProxyExtensions
{
    /// <summary>The pass-through's routes (one per node of the registry file), transforms and options.</summary>
    public static WebApplicationBuilder AddNodeProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // What AddTransforms<T>() registers; AddReverseProxy() itself runs once, in AddNodeRegistry.
        builder.Services.AddSingleton<IProxyConfigProvider, NodeRouteConfigProvider>();
        builder.Services.AddSingleton<ITransformProvider, NodeProxyTransforms>();
        return builder;
    }

    /// <summary>
    /// <c>/nodes/{nodeId}/{**path}</c>: YARP's per-node routes (streaming both ways, load balancing,
    /// passive health), and a fallback that answers 404 for a node id the registry does not hold.
    /// </summary>
    public static IEndpointRouteBuilder MapNodeProxy(this IEndpointRouteBuilder app)
    {
        // YARP's default pipeline behind a guard; the routes require catalog.read (NodeRouteConfigProvider).
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(RefusePersonalRecords);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });

        // Literal per-node routes win over this parameterised one, so it only sees unknown nodes.
        app.Map("/nodes/{nodeId}/{**path}", UnknownNode)
            .WithTags("Proxy")
            .RequireAuthorization(GatewayScopes.CatalogRead)
            .WithOrder(int.MaxValue);
        return app;
    }

    /// <summary>
    /// Note: the pass-through calls nodes with the gateway's own token, which may read every personal record, so a
    /// node's <c>/node/v1/records/**</c> is never reachable through it; personal records go through
    /// <c>/api/v1/records/search</c>, which enforces the caller's agreement and writes the audit log.
    /// </summary>
    private static async Task RefusePersonalRecords(HttpContext context, Func<Task> next)
    {
        if (NodePath(context.Request.Path.Value).StartsWith("node/v1/records", StringComparison.OrdinalIgnoreCase))
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Personal records are not passed through",
                detail: "Search personal records with POST /api/v1/records/search; the pass-through serves a node's open material only.").ExecuteAsync(context);
            return;
        }

        await next();
    }

    /// <summary>
    /// The node's own path in <c>/nodes/{nodeId}/{path}</c>, without its leading slashes: what follows the third
    /// <c>/</c>; empty when there is none. A span, not Split: this runs on every pass-through request.
    /// </summary>
    internal static ReadOnlySpan<char> NodePath(string? gatewayPath)
    {
        var rest = gatewayPath.AsSpan();
        for (var slashes = 0; slashes < 3; slashes++)
        {
            var at = rest.IndexOf('/');
            if (at < 0)
            {
                return [];
            }

            rest = rest[(at + 1)..];
        }

        return rest.TrimStart('/');
    }

    private static ProblemHttpResult UnknownNode(string nodeId)
        => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown node",
            detail: $"No archive node '{Truncate(nodeId)}' is in the registry; GET /api/v1/nodes lists them.",
            extensions: new Dictionary<string, object?> { ["field"] = "nodeId" });

    private static string Truncate(string s) => s.Length <= 32 ? s : s[..32] + "…";
}

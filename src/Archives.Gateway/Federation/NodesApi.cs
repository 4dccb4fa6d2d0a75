using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Caching;
using Archives.Gateway.OpenApi;
using Archives.Gateway.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Yarp.ReverseProxy.Model;
using ZiggyCreatures.Caching.Fusion;

namespace Archives.Gateway.Federation;

/// <summary><c>/api/v1/nodes</c>: the registry as the gateway sees it, with health.</summary>
internal static class NodesApi
{
    public static IEndpointRouteBuilder MapNodesApi(this IEndpointRouteBuilder app)
    {
        var nodes = app.MapGroup("/api/v1/nodes").WithTags("Nodes")
            .RequireAuthorization(AccessExtensions.AnonymousOrToken);
        nodes.MapGet("/", List).WithName("ListNodes").WithText(
            "档案馆节点列表", "List the archive nodes",
            "网关登记的所有档案馆节点及其健康状况（主动探测与被动健康）。节点地址属内部拓扑，不予显示。",
            "Every archive node in the gateway's registry, with its health (active probes and passive health). Destination addresses are internal topology and are not shown.");
        nodes.MapGet("/{nodeId}", Get).WithName("GetNode").WithText(
            "档案馆节点详情", "One archive node",
            "一个节点的登记信息及其自身的 /node/v1/info（缓存）；节点未应答时 infoStatus 说明原因。",
            "One node as registered, with its own /node/v1/info (cached); infoStatus says why info is absent when the node did not answer.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static Ok<NodeListAnswer> List(NodeRegistry registry)
        => TypedResults.Ok(new NodeListAnswer { Nodes = [.. registry.Nodes.Select(View)] });

    private static async Task<Results<Ok<NodeDetailAnswer>, ProblemHttpResult>> Get(
        string nodeId, NodeRegistry registry, NodeFanOut fanOut, IFusionCache cache, GatewayCacheEntries entries, CancellationToken cancellationToken)
    {
        if (!registry.TryGetNode(nodeId, out var node))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown node",
                detail: "No archive node with this id is in the registry.", extensions: new Dictionary<string, object?> { ["field"] = "nodeId" });
        }

        var info = await cache.GetOrSetAsync<NodeInfoAnswer>(
            CacheKeys.NodeInfo(nodeId),
            async (context, token) =>
            {
                NodeAnswer<int, NodeInfo>? answer = null;
                await foreach (var a in fanOut.AskAsync<int, NodeInfo>([new(node, 0)], (api, _, t) => api.GetInfoAsync(t), _ => 0, token))
                {
                    answer = a;
                }

                if (answer?.Value is null)
                {
                    context.Options.Duration = TimeSpan.FromSeconds(5); // a failure is not remembered for long
                }

                return new NodeInfoAnswer { Status = answer?.Outcome.Status ?? NodeStatus.Error, Info = answer?.Value };
            },
            options: entries.NodeInfo,
            tags: [CacheKeys.NodeTag(nodeId)],
            token: cancellationToken);

        return TypedResults.Ok(new NodeDetailAnswer { Node = View(node), InfoStatus = info.Status, Info = info.Info });
    }

    // Note: destination addresses are internal topology and are not shown; operators have the registry file.
    private static NodeView View(RegisteredNode node) => new()
    {
        NodeId = node.NodeId,
        NameZh = node.NameZh,
        NameEn = node.NameEn,
        DivisionCode = node.Description.DivisionCode?.Value,
        Level = node.Description.Level,
        Province = node.Description.Province,
        Categories = [.. node.Description.Categories.Select(c => c.Code)],
        Health = node.Health,
        Destinations = [.. node.Destinations.Select(d => new DestinationView
        {
            Name = d.DestinationId,
            Active = Health(d.Health.Active),
            Passive = Health(d.Health.Passive),
        })],
    };

    private static string Health(DestinationHealth health) => health switch
    {
        DestinationHealth.Healthy => "healthy",
        DestinationHealth.Unhealthy => "unhealthy",
        _ => "unknown",
    };
}

using Archives.Gateway.Access;
using Archives.Gateway.OpenApi;
using Archives.Gateway.Registry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Archives.Gateway.Caching;

/// <summary>Operator endpoints of the cache (scope <c>audit.read</c>, which only operators hold).</summary>
internal static class CacheAdminApi
{
    public static IEndpointRouteBuilder MapCacheAdminApi(this IEndpointRouteBuilder app)
    {
        // Note: DESIGN.md has no operator scope; audit.read is held only by operators (the ops client),
        // and an eviction costs no more than cache misses.
        var admin = app.MapGroup("/api/v1/admin").WithTags("Admin")
            .RequireAuthorization(GatewayScopes.AuditRead);
        admin.MapPost("/nodes/{nodeId}/invalidate", InvalidateNode).WithName("InvalidateNodeCache").WithText(
            "清除节点缓存", "Evict a node's cached answers",
            "在所有网关实例上清除由该节点数据生成的缓存（经 Redis 背板）。仅运维人员持有 audit.read。",
            "Evicts every cached answer built from the node's data, on every gateway instance (through the Redis backplane). Only operators hold audit.read.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> InvalidateNode(string nodeId, NodeRegistry registry, NodeCacheEviction eviction, CancellationToken cancellationToken)
    {
        if (!registry.TryGetNode(nodeId, out var node))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown node",
                detail: "No archive node with this id is in the registry.", extensions: new Dictionary<string, object?> { ["field"] = "nodeId" });
        }

        await eviction.EvictAsync(node.Description, cancellationToken);
        return TypedResults.NoContent();
    }
}

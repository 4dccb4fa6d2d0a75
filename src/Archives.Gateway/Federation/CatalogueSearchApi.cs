using System.Net.ServerSentEvents;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Caching;
using Archives.Gateway.OpenApi;
using Archives.Gateway.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Federation;

/// <summary><c>/api/v1/catalog</c>: the federated open catalogue (anyone may search it).</summary>
internal static class CatalogueSearchApi
{
    public static IEndpointRouteBuilder MapCatalogueSearchApi(this IEndpointRouteBuilder app)
    {
        // Note: the open catalogue is public; a token only raises the rate limit.
        var catalog = app.MapGroup("/api/v1/catalog").WithTags("Catalogue")
            .RequireAuthorization(AccessExtensions.CatalogueReader);
        catalog.MapGet("/search", Search).WithName("SearchCatalogue").WithParameters<CatalogueSearchParameters>(CatalogueSearchParameters.Describe).WithText(
            "联合检索开放档案目录", "Search the open catalogue across archives",
            "同时检索所选地区的各档案馆，按倒数排名融合合并为一页；nodes 列出每个节点的状态（ok、timeout、error、unhealthy、circuit-open、not-applicable）与耗时，任一应答的节点未应答时 partial 为 true。用 nextCursor 翻页。匿名可用；带令牌时须含 catalog.read。",
            "Searches every archive of the region at once and merges one page by reciprocal rank fusion; nodes lists each node's status (ok, timeout, error, unhealthy, circuit-open, not-applicable) and latency, and partial is true when a node that should have answered did not. Page with nextCursor. Anonymous callers allowed; a token that is sent must carry catalog.read.");
        catalog.MapGet("/search/stream", Stream).WithName("StreamCatalogueSearch").WithParameters<CatalogueSearchParameters>(CatalogueSearchParameters.Describe).WithText(
            "联合检索开放档案目录（流式）", "Search the open catalogue as a stream",
            "与 /search 相同的检索，以 Server-Sent Events 返回：每个节点应答时发送一个 node 事件（CatalogueNodeEvent），最后发送一个 summary 事件（CatalogueSummaryEvent）。",
            "The same search as Server-Sent Events: a node event (CatalogueNodeEvent) as each node answers, then one summary event (CatalogueSummaryEvent).")
            .WithServerSentEvents(("node", typeof(CatalogueNodeEvent)), ("summary", typeof(CatalogueSummaryEvent)));
        return app;
    }

    /// <summary>One merged page across the nodes, with each node's outcome.</summary>
    /// <remarks>The answer is written as the JSON bytes the cache holds (<see cref="CatalogueFederation.SearchAsync"/>).</remarks>
    private static async Task<Results<JsonBytesResult<CatalogueSearchAnswer>, ValidationProblem>> Search(
        [AsParameters] CatalogueSearchParameters query, HttpContext context, NodeRegistry registry, CatalogueFederation federation,
        IOptionsMonitor<FederationOptions> options)
    {
        if (!CatalogueSearchRequest.TryParse(query, registry, options.CurrentValue, out var request, out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "The search request is not valid.");
        }

        return new JsonBytesResult<CatalogueSearchAnswer>(await federation.SearchAsync(request, AccessTier.Of(context), context.RequestAborted));
    }

    private static Results<ServerSentEventsResult<object>, ValidationProblem> Stream(
        [AsParameters] CatalogueSearchParameters query, HttpContext context, NodeRegistry registry, CatalogueFederation federation,
        IOptionsMonitor<FederationOptions> options)
    {
        if (!CatalogueSearchRequest.TryParse(query, registry, options.CurrentValue, out var request, out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "The search request is not valid.");
        }

        IAsyncEnumerable<SseItem<object>> events = federation.StreamAsync(request, context.RequestAborted);
        return TypedResults.ServerSentEvents(events);
    }
}

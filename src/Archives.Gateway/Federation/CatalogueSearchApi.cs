using System.Net.ServerSentEvents;
using Archives.Gateway.Access;
using Archives.Gateway.Caching;
using Archives.Gateway.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Federation;

/// <summary><c>/api/v1/catalog</c>: the federated open catalogue (anyone may search it).</summary>
internal static class CatalogueSearchApi
{
    public static IEndpointRouteBuilder MapCatalogueSearchApi(this IEndpointRouteBuilder app)
    {
        // The group is where the catalog.read policy and rate limits attach later.
        // Note: the open catalogue is public; a token only raises the rate limit.
        var catalog = app.MapGroup("/api/v1/catalog").WithTags("Catalogue")
            .RequireAuthorization(AccessExtensions.CatalogueReader);
        catalog.MapGet("/search", Search);
        catalog.MapGet("/search/stream", Stream);
        return app;
    }

    /// <summary>One merged page across the nodes, with each node's outcome.</summary>
    private static async Task<Results<Ok<CatalogueSearchAnswer>, ValidationProblem>> Search(
        HttpContext context, NodeRegistry registry, CatalogueFederation federation, IOptionsSnapshot<FederationOptions> options)
    {
        if (!CatalogueSearchRequest.TryParse(context.Request.Query, registry, options.Value, out var request, out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "The search request is not valid.");
        }

        return TypedResults.Ok(await federation.SearchAsync(request, AccessTier.Of(context), context.RequestAborted));
    }

    /// <summary>The same search as Server-Sent Events: a <c>node</c> event per node as it answers, then <c>summary</c>.</summary>
    private static Results<ServerSentEventsResult<object>, ValidationProblem> Stream(
        HttpContext context, NodeRegistry registry, CatalogueFederation federation, IOptionsSnapshot<FederationOptions> options)
    {
        if (!CatalogueSearchRequest.TryParse(context.Request.Query, registry, options.Value, out var request, out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "The search request is not valid.");
        }

        IAsyncEnumerable<SseItem<object>> events = federation.StreamAsync(request, context.RequestAborted);
        return TypedResults.ServerSentEvents(events);
    }
}

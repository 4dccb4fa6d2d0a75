using Archives.Contracts;
using Archives.Node.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace Archives.Node.Catalogue;

internal static class CatalogueApi
{
    /// <summary><c>GET catalog/search</c>: the open catalogue, one page at a time.</summary>
    public static IEndpointRouteBuilder MapCatalogueApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/catalog").WithTags("Catalogue");
        group.MapGet("/search", SearchAsync).WithName("SearchCatalogue");
        return routes;
    }

    public static async Task<Results<Ok<CatalogueSearchResult>, ValidationProblem>> SearchAsync(
        [FromQuery] string? q,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? category,
        [FromQuery] string? cursor,
        [FromQuery] string? limit,
        NodeDbContext db,
        IMemoryCache cache,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = CatalogueQuery.TryParse(q, from, to, category, cursor, limit, errors);
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await CatalogueSearch.SearchAsync(db, cache, query, NodeClock.CurrentYear(time), cancellationToken));
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Archives.Node.Data;

internal static class DataExtensions
{
    /// <summary>The node's SQLite database: one file per node, in WAL mode (set when it is seeded).</summary>
    public static WebApplicationBuilder AddNodeData(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NodeDatabase>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddDbContextPool<NodeDbContext>((services, options) =>
            SqlitePragmas.Configure(options, services.GetRequiredService<NodeDatabase>().ConnectionString));
        // Facets and totals of a search snapshot (see CatalogueSearch), for its later pages.
        builder.Services.AddMemoryCache(options => options.SizeLimit = 1024);
        return builder;
    }

    /// <summary>Answers 503 with <c>Retry-After</c> until the database is seeded, instead of failing on a missing table.</summary>
    public static TBuilder RequireSeededDatabase<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter(async (context, next) =>
        {
            var database = context.HttpContext.RequestServices.GetRequiredService<NodeDatabase>();
            if (database.IsReady)
            {
                return await next(context);
            }

            context.HttpContext.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The node is loading its data.",
                detail: "Ask again after the Retry-After time; /health/ready answers 200 once the node can serve.");
        });
}

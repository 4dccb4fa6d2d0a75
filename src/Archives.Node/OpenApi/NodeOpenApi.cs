using Archives.Node.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace Archives.Node.OpenApi;

/// <summary>
/// The node's own OpenAPI document (<c>/openapi/v1.json</c>), generated from its endpoints. It is not
/// the contract (that is <c>contracts/openapi/archive-node.v1.yaml</c>, written for every archive
/// system); it exists so that a test can check, operation by operation, that this implementation and
/// the contract say the same: paths, parameters, statuses and schema properties.
/// </summary>
internal static class NodeOpenApi
{
    public static WebApplicationBuilder AddNodeOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options.AddOperationTransformer((operation, context, _) =>
        {
            // The answers every operation can give that no handler returns itself: the exception
            // handler's 500, and the authorization middleware's 401/403 on protected operations.
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                Problem(operation, StatusCodes.Status401Unauthorized, "No valid node.api token of the federation's identity server.");
                Problem(operation, StatusCodes.Status403Forbidden, "The token does not carry node.api.");
            }

            Problem(operation, StatusCodes.Status500InternalServerError, "An unexpected error.");
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary><c>/openapi/v1.json</c>, for the gateway's token like every node path but info and health (DESIGN.md).</summary>
    public static IEndpointRouteBuilder MapNodeOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().RequireAuthorization(NodeAuth.Policy);
        return app;
    }

    private static void Problem(OpenApiOperation operation, int status, string description)
    {
        operation.Responses ??= [];
        operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/problem+json"] = new() },
        });
    }
}

using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Archives.Gateway.OpenApi;

/// <summary>
/// The gateway's OpenAPI 3.1 document (<c>/openapi/v1.json</c>, generated from the endpoints themselves) and its
/// API reference (<c>/docs</c>, Scalar, served offline). The committed copy is
/// <c>contracts/openapi/gateway.v1.json</c>; a test fails when the two differ.
/// </summary>
/// <remarks>
/// The pass-through <c>/nodes/{nodeId}/{**path}</c> is not in the document: it serves the node contract
/// (<c>contracts/openapi/archive-node.v1.yaml</c>) under a prefix, and OpenAPI path templates cannot express a
/// catch-all that spans segments. The document's description points there.
/// </remarks>
internal static class OpenApiExtensions
{
    public const string DocumentName = "v1";

    public static WebApplicationBuilder AddGatewayOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer<DocumentDescription>();
            options.AddDocumentTransformer<OAuthSecurity>();
            options.AddSchemaTransformer<ContractSchemas>();
            options.AddOperationTransformer<OperationSecurity>();
            options.AddOperationTransformer<CommonParameters>();
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapGatewayOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("Archives Gateway API · 跨馆查档出证网关")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            // Note: offline by design: the default fonts come from Scalar's CDN, and the AI agent and
            // MCP features call Scalar's services; the scripts themselves are served from the package.
            .DisableDefaultFonts()
            .DisableAgent()
            .DisableMcp()
            .AddPreferredSecuritySchemes(OAuthSecurity.SchemeName)
            // Clerks sign in with PKCE (the identity server requires it for service-hall).
            .AddAuthorizationCodeFlow(OAuthSecurity.SchemeName, flow => flow.Pkce = Pkce.Sha256))
            .AllowAnonymous();
        return app;
    }

    /// <summary>Documents the required <c>Idempotency-Key</c> header and its 400/409/422 answers.</summary>
    public static RouteHandlerBuilder WithIdempotencyKey(this RouteHandlerBuilder builder)
        => builder.AddOpenApiOperationTransformer(IdempotencyKey.Describe);

    /// <summary>Documents the parameters bound from <typeparamref name="TParameters"/> (<c>[AsParameters]</c>), each by its property.</summary>
    public static RouteHandlerBuilder WithParameters<TParameters>(this RouteHandlerBuilder builder, Action<BoundParameters<TParameters>, IServiceProvider> describe)
        => builder.AddOpenApiOperationTransformer(BoundParameters<TParameters>.Transformer(describe));

    /// <summary>
    /// Documents a Server-Sent Events answer: each event's <c>data</c> is one of the given types, named
    /// by its <c>event</c> field. (OpenAPI 3.1 cannot describe a stream item by item; the schema is the
    /// union of the events' payloads.)
    /// </summary>
    public static RouteHandlerBuilder WithServerSentEvents(this RouteHandlerBuilder builder, params (string Event, Type Payload)[] events)
        => builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var payloads = new List<IOpenApiSchema>();
            foreach (var (_, payload) in events)
            {
                payloads.Add(await context.GetOrCreateSchemaAsync(payload, cancellationToken: cancellationToken));
            }

            operation.Responses ??= [];
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "Server-Sent Events: " + string.Join(", ", events.Select(e => $"event: {e.Event} → {e.Payload.Name}")),
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["text/event-stream"] = new() { Schema = new OpenApiSchema { OneOf = payloads } },
                },
            };
        });

    /// <summary>
    /// Documents the JSON body the handler binds (<c>[FromBody] TBody</c>) as required, with an example serialised
    /// from a contract object so that it cannot drift from the type.
    /// </summary>
    public static RouteHandlerBuilder WithJsonBody<TBody>(this RouteHandlerBuilder builder, TBody? example = null)
        where TBody : class
        => builder.AddOpenApiOperationTransformer((operation, context, _) =>
            {
                if (operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true && media is OpenApiMediaType json)
                {
                    // A handler that takes the body as nullable (to tell the JSON null from no body at all) still takes a TBody.
                    if (json.Schema is OpenApiSchema { OneOf: [OpenApiSchema { Type: JsonSchemaType.Null }, OpenApiSchemaReference record] })
                    {
                        json.Schema = record;
                    }

                    if (example is not null)
                    {
                        json.Example = Examples.ToJson(example, context.ApplicationServices);
                    }
                }

                if (operation.RequestBody is OpenApiRequestBody body)
                {
                    body.Required = true;
                }

                return Task.CompletedTask;
            });

    /// <summary>A summary and a description, each in Chinese and English.</summary>
    public static TBuilder WithText<TBuilder>(this TBuilder builder, string summaryZh, string summaryEn, string descriptionZh, string descriptionEn)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithSummary($"{summaryZh} · {summaryEn}").WithDescription($"{descriptionZh}\n\n{descriptionEn}");
}

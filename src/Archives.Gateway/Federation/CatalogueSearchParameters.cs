using System.Text.Json.Nodes;
using Archives.Contracts;
using Archives.Gateway.OpenApi;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Archives.Gateway.Federation;

/// <summary>
/// The catalogue search's query parameters, with the bounds the handler checks. The handler reads the query string
/// itself (to name the parameter of every error, and to refuse a repeated one), so they are described here.
/// </summary>
internal static class CatalogueSearchParameters
{
    /// <summary>Documents the federated catalogue search's query parameters (read by the handler itself).</summary>
    public static RouteHandlerBuilder WithCatalogueSearchQuery(this RouteHandlerBuilder builder)
        => builder.AddOpenApiOperationTransformer(Describe);

    private static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var options = context.ApplicationServices.GetRequiredService<IOptions<FederationOptions>>().Value;
        operation.Parameters ??= [];
        Add("q", "检索词（标题、全宗、档号），空白分隔的多个词须全部命中 · Keywords (title, fonds, 档号); all words must match",
            new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = NodeContract.MaxQueryLength }, "婚姻");
        Add("from", "起始年份（含） · First year, inclusive",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = Year(NodeContract.MinYear), Maximum = Year(NodeContract.MaxYear) }, 1980);
        Add("to", "截止年份（含），不早于 from · Last year, inclusive; not before from",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = Year(NodeContract.MinYear), Maximum = Year(NodeContract.MaxYear) }, 1990);
        Add("category", "档案门类 · Catalogue category",
            new OpenApiSchemaReference(nameof(CatalogueCategory), context.Document), "documents");
        Add("region", "地区（行政区划代码前缀：33 浙江，3301 杭州） · Region: a division-code prefix (33 Zhejiang, 3301 Hangzhou)",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = RegionPrefix.Pattern }, "3301");
        Add("nodes", $"仅检索这些档案馆（逗号分隔的节点编号，至多 {options.MaxNodesPerRequest} 个） · Only these archives: comma-separated node ids, at most {options.MaxNodesPerRequest}",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[^,]+(,[^,]+)*$" }, "330100,310000");
        Add("cursor", "上一页响应中的 nextCursor · The nextCursor of the previous page",
            new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = options.MaxCursorLength }, null);
        Add("limit", $"每页条数（默认 {options.DefaultLimit}） · Page size (default {options.DefaultLimit})",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = Year(options.MaxLimit), Default = JsonValue.Create(options.DefaultLimit) }, 20);

        Problems.Add(operation, StatusCodes.Status400BadRequest, "查询参数无效（errors 按参数名列出） · Invalid query parameters (errors lists each by name)");
        return Task.CompletedTask;

        void Add(string name, string description, IOpenApiSchema schema, JsonNode? example) => operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Query,
            Description = description,
            Schema = schema,
            Example = example,
        });
    }

    private static string Year(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

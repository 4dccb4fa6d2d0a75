using System.Globalization;
using System.Text.Json.Nodes;
using Archives.Contracts;
using Archives.Gateway.OpenApi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.OpenApi;

namespace Archives.Gateway.Federation;

/// <summary>
/// The query string of the federated catalogue search as the framework binds it: each parameter's values as sent, so
/// that <see cref="CatalogueSearchRequest.TryParse"/> can refuse one given twice and name every error at once.
/// </summary>
internal sealed record CatalogueSearchParameters
{
    [FromQuery(Name = "q")]
    public StringValues? Q { get; init; }

    [FromQuery(Name = "from")]
    public StringValues? From { get; init; }

    [FromQuery(Name = "to")]
    public StringValues? To { get; init; }

    [FromQuery(Name = "category")]
    public StringValues? Category { get; init; }

    [FromQuery(Name = "region")]
    public StringValues? Region { get; init; }

    [FromQuery(Name = "nodes")]
    public StringValues? Nodes { get; init; }

    [FromQuery(Name = "cursor")]
    public StringValues? Cursor { get; init; }

    [FromQuery(Name = "limit")]
    public StringValues? Limit { get; init; }

    /// <summary>Documents the parameters with the bounds <see cref="CatalogueSearchRequest.TryParse"/> checks.</summary>
    public static void Describe(BoundParameters<CatalogueSearchParameters> parameters, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<FederationOptions>>().Value;
        var year = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer, Format = "int32", Minimum = Invariant(NodeContract.MinYear), Maximum = Invariant(NodeContract.MaxYear),
        };
        parameters.Describe(nameof(Q), "检索词（标题、全宗、档号），空白分隔的多个词须全部命中 · Keywords (title, fonds, 档号); all words must match",
            new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = NodeContract.MaxQueryLength }, "婚姻");
        parameters.Describe(nameof(From), "起始年份（含） · First year, inclusive", year, 1980);
        parameters.Describe(nameof(To), "截止年份（含），不早于 from · Last year, inclusive; not before from", year, 1990);
        parameters.Describe(nameof(Category), "档案门类 · Catalogue category", new OpenApiSchemaReference(nameof(CatalogueCategory)), "documents");
        parameters.Describe(nameof(Region), "地区（行政区划代码前缀：33 浙江，3301 杭州） · Region: a division-code prefix (33 Zhejiang, 3301 Hangzhou)",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = RegionPrefix.Pattern }, "3301");
        parameters.Describe(nameof(Nodes), $"仅检索这些档案馆（逗号分隔的节点编号，至多 {options.MaxNodesPerRequest} 个） · Only these archives: comma-separated node ids, at most {options.MaxNodesPerRequest}",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[^,]+(,[^,]+)*$" }, "330100,310000");
        parameters.Describe(nameof(Cursor), "上一页响应中的 nextCursor · The nextCursor of the previous page",
            new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = options.MaxCursorLength });
        parameters.Describe(nameof(Limit), $"每页条数（默认 {options.DefaultLimit}） · Page size (default {options.DefaultLimit})",
            new OpenApiSchema
            {
                Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = Invariant(options.MaxLimit), Default = JsonValue.Create(options.DefaultLimit),
            }, 20);

        Problems.Add(parameters.Operation, StatusCodes.Status400BadRequest, "查询参数无效（errors 按参数名列出） · Invalid query parameters (errors lists each by name)");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.Json.Nodes;
using Archives.Contracts;
using Archives.Gateway.OpenApi;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Archives.Gateway.Certificates;

/// <summary>
/// The query parameters of <c>GET /api/v1/certificates</c>. The handler reads the query string itself (to name
/// the parameter of every error), so they are described here with the bounds it checks.
/// </summary>
internal static class CertificateListParameters
{
    /// <summary>Documents the day list's query parameters (read by the handler itself).</summary>
    public static RouteHandlerBuilder WithCertificateListQuery(this RouteHandlerBuilder builder)
        => builder.AddOpenApiOperationTransformer(Describe);

    private static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters ??= [];
        Add("day", "出证日期（中国标准时间，yyyy-MM-dd），默认今天 · Day of issue in China Standard Time, yyyy-MM-dd; today by default",
            new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" }, "2026-12-07");
        Add("hall", "仅此窗口（行政区划代码）；窗口工作人员只能为本窗口 · Only this hall (a division code); a clerk may name only their own",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = DivisionCode.Pattern }, "330100");
        Add("cursor", "上一页响应中的 nextCursor（同一 day 和 hall） · The nextCursor of the previous page (same day and hall)",
            new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = CertificateList.MaxCursorLength }, null);
        Add("limit", $"每页条数，1 至 {CertificateList.MaxLimit}（默认 {CertificateList.DefaultLimit}） · Page size, 1 to {CertificateList.MaxLimit} (default {CertificateList.DefaultLimit})",
            new OpenApiSchema
            {
                Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1",
                Maximum = CertificateList.MaxLimit.ToString(CultureInfo.InvariantCulture), Default = JsonValue.Create(CertificateList.DefaultLimit),
            }, 20);

        Problems.Add(operation, StatusCodes.Status400BadRequest, "查询参数无效（errors 按参数名列出） · Invalid query parameters (errors lists each by name)");
        Problems.Add(operation, StatusCodes.Status403Forbidden, "缺少权限，或窗口工作人员指定了其他窗口（field: hall） · A scope is missing, or a clerk named another hall (field: hall)");
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
}

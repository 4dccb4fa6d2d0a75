using System.Globalization;
using System.Text.Json.Nodes;
using Archives.Contracts;
using Archives.Gateway.OpenApi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;
using Microsoft.OpenApi;

namespace Archives.Gateway.Certificates;

/// <summary>
/// The query string of <c>GET /api/v1/certificates</c> as the framework binds it: each parameter's values as sent, so
/// that <see cref="CertificateList.TryRead"/> can refuse one given twice and name every error at once.
/// </summary>
internal sealed record CertificateListParameters
{
    [FromQuery(Name = "day")]
    public StringValues? Day { get; init; }

    [FromQuery(Name = "hall")]
    public StringValues? Hall { get; init; }

    [FromQuery(Name = "cursor")]
    public StringValues? Cursor { get; init; }

    [FromQuery(Name = "limit")]
    public StringValues? Limit { get; init; }

    /// <summary>Documents the parameters with the bounds <see cref="CertificateList.TryRead"/> checks.</summary>
    public static void Describe(BoundParameters<CertificateListParameters> parameters, IServiceProvider services)
    {
        parameters.Describe(nameof(Day), "出证日期（中国标准时间，yyyy-MM-dd），默认今天 · Day of issue in China Standard Time, yyyy-MM-dd; today by default",
            new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" }, "2026-12-07");
        parameters.Describe(nameof(Hall), "仅此窗口（行政区划代码）；窗口工作人员只能为本窗口 · Only this hall (a division code); a clerk may name only their own",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = DivisionCode.Pattern }, "330100");
        parameters.Describe(nameof(Cursor), "上一页响应中的 nextCursor（同一 day 和 hall） · The nextCursor of the previous page (same day and hall)",
            new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = CertificateList.MaxCursorLength });
        parameters.Describe(nameof(Limit), $"每页条数，1 至 {CertificateList.MaxLimit}（默认 {CertificateList.DefaultLimit}） · Page size, 1 to {CertificateList.MaxLimit} (default {CertificateList.DefaultLimit})",
            new OpenApiSchema
            {
                Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1",
                Maximum = CertificateList.MaxLimit.ToString(CultureInfo.InvariantCulture), Default = JsonValue.Create(CertificateList.DefaultLimit),
            }, 20);

        Problems.Add(parameters.Operation, StatusCodes.Status400BadRequest, "查询参数无效（errors 按参数名列出） · Invalid query parameters (errors lists each by name)");
        Problems.Add(parameters.Operation, StatusCodes.Status403Forbidden, "缺少权限，或窗口工作人员指定了其他窗口（field: hall） · A scope is missing, or a clerk named another hall (field: hall)");
    }
}

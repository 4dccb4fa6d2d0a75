using System.Reflection;
using System.Text.Json.Nodes;
using Archives.Contracts;
using Archives.Gateway.Ledger;
using Archives.Gateway.OpenApi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.OpenApi;

namespace Archives.Gateway.Audit;

/// <summary>
/// The filters of the audit log (档案利用登记) as the framework binds them: each one's values as sent, so that the
/// handler can refuse one given twice and name every error at once. The subject is taken from headers, so that it
/// never reaches an access log.
/// </summary>
internal sealed record AuditQueryParameters
{
    [FromQuery(Name = "from")]
    public StringValues? From { get; init; }

    [FromQuery(Name = "to")]
    public StringValues? To { get; init; }

    [FromQuery(Name = "client")]
    public StringValues? Client { get; init; }

    [FromQuery(Name = "action")]
    public StringValues? Action { get; init; }

    [FromQuery(Name = "cursor")]
    public StringValues? Cursor { get; init; }

    [FromQuery(Name = "limit")]
    public StringValues? Limit { get; init; }

    [FromHeader(Name = NodeContract.SubjectHeaders.IdNumber)]
    public StringValues? SubjectIdNumber { get; init; }

    [FromHeader(Name = NodeContract.SubjectHeaders.Name)]
    public StringValues? SubjectName { get; init; }

    [FromHeader(Name = NodeContract.SubjectHeaders.BirthDate)]
    public StringValues? SubjectBirthDate { get; init; }

    /// <summary>The names of the query parameters: any other one is refused, lest a subject be put in a URL.</summary>
    public static IReadOnlyList<string> QueryNames { get; } = [.. typeof(AuditQueryParameters).GetProperties()
        .Select(p => p.GetCustomAttribute<FromQueryAttribute>()?.Name).OfType<string>()];

    /// <summary>Documents the filters with the bounds the handler checks.</summary>
    public static void Describe(BoundParameters<AuditQueryParameters> parameters, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AuditOptions>>().Value;
        var time = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
        parameters.Describe(nameof(From), "起始时间（含，ISO 8601） · From this time, inclusive (ISO 8601)", time, "2026-11-25T00:00:00+08:00");
        parameters.Describe(nameof(To), "截止时间（含），不早于 from · Until this time, inclusive; not before from", time, "2026-11-25T23:59:59+08:00");
        parameters.Describe(nameof(Client), "客户端编号 · Client id", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = AuditApi.MaxClientLength }, "zheliban");
        parameters.Describe(nameof(Action), "登记事项 · Action",
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. AuditActions.All.Select(a => (JsonNode)JsonValue.Create(a))] }, AuditActions.All.First());
        parameters.Describe(nameof(Cursor), "上一页响应中的 nextCursor · The nextCursor of the previous page", new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[1-9][0-9]*$" });
        parameters.Describe(nameof(Limit), $"每页条数（默认 {options.DefaultLimit}） · Page size (default {options.DefaultLimit})",
            new OpenApiSchema
            {
                Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1",
                Maximum = options.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), Default = JsonValue.Create(options.DefaultLimit),
            }, 20);
        parameters.Describe(nameof(SubjectIdNumber), "当事人身份证号（在请求头中，以免进入访问日志；网关以密钥散列后检索） · The subject's ID number, in a header so that it stays out of access logs; the gateway hashes it with the subject key",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = IdNumber.InputPattern });
        parameters.Describe(nameof(SubjectName), "当事人姓名（UTF-8 百分号编码），与出生日期同用 · The subject's name, percent-encoded UTF-8; goes with the birth date",
            new OpenApiSchema { Type = JsonSchemaType.String });
        parameters.Describe(nameof(SubjectBirthDate), "当事人出生日期，与姓名同用 · The subject's birth date; goes with the name",
            new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" });

        Problems.Add(parameters.Operation, StatusCodes.Status400BadRequest, "筛选条件无效（errors 按参数名列出） · Invalid filters (errors lists each by name)");
    }
}

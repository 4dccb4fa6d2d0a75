using System.Text.Json.Nodes;
using Archives.Contracts;
using Archives.Gateway.Ledger;
using Archives.Gateway.OpenApi;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Archives.Gateway.Audit;

/// <summary>
/// The filters of the audit log (档案利用登记). The handler reads them itself (to name the field of
/// every error, and to take the subject from headers so that it never reaches an access log), so they
/// are described here with the bounds the handler checks.
/// </summary>
internal static class AuditQueryParameters
{
    /// <summary>Documents the audit log's filters (read by the handler itself, the subject from headers).</summary>
    public static RouteHandlerBuilder WithAuditQuery(this RouteHandlerBuilder builder)
        => builder.AddOpenApiOperationTransformer(Describe);

    private static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var options = context.ApplicationServices.GetRequiredService<IOptions<AuditOptions>>().Value;
        operation.Parameters ??= [];
        var time = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
        Add("from", ParameterLocation.Query, "起始时间（含，ISO 8601） · From this time, inclusive (ISO 8601)", time, "2026-11-25T00:00:00+08:00");
        Add("to", ParameterLocation.Query, "截止时间（含），不早于 from · Until this time, inclusive; not before from", time, "2026-11-25T23:59:59+08:00");
        Add("client", ParameterLocation.Query, "客户端编号 · Client id", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100 }, "zheliban");
        Add("action", ParameterLocation.Query, "登记事项 · Action",
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. AuditActions.All.Select(a => (JsonNode)JsonValue.Create(a))] }, AuditActions.All.First());
        Add("cursor", ParameterLocation.Query, "上一页响应中的 nextCursor · The nextCursor of the previous page", new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[1-9][0-9]*$" }, null);
        Add("limit", ParameterLocation.Query, $"每页条数（默认 {options.DefaultLimit}） · Page size (default {options.DefaultLimit})",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = Invariant(options.MaxLimit), Default = JsonValue.Create(options.DefaultLimit) }, 20);
        Add(NodeContract.SubjectHeaders.IdNumber, ParameterLocation.Header, "当事人身份证号（在请求头中，以免进入访问日志；网关以密钥散列后检索） · The subject's ID number, in a header so that it stays out of access logs; the gateway hashes it with the subject key",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = IdNumber.InputPattern }, null);
        Add(NodeContract.SubjectHeaders.Name, ParameterLocation.Header, "当事人姓名（UTF-8 百分号编码），与出生日期同用 · The subject's name, percent-encoded UTF-8; goes with the birth date",
            new OpenApiSchema { Type = JsonSchemaType.String }, null);
        Add(NodeContract.SubjectHeaders.BirthDate, ParameterLocation.Header, "当事人出生日期，与姓名同用 · The subject's birth date; goes with the name",
            new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" }, null);

        Problems.Add(operation, StatusCodes.Status400BadRequest, "筛选条件无效（errors 按参数名列出） · Invalid filters (errors lists each by name)");
        return Task.CompletedTask;

        void Add(string name, ParameterLocation location, string description, IOpenApiSchema schema, JsonNode? example) => operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = location,
            Description = description,
            Schema = schema,
            Example = example,
        });
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

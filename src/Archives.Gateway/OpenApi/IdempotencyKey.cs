using System.Text.Json.Nodes;
using Archives.Contracts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Archives.Gateway.OpenApi;

/// <summary>The <c>Idempotency-Key</c> header of certificate issuance and the answers that belong to it.</summary>
internal static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Header,
            In = ParameterLocation.Header,
            Required = true,
            Description = """
                每份所需证明一个新的唯一值（如 UUID），重试时保持不变：同一密钥、同一请求体的重试返回同一份证明（响应头 Idempotent-Replayed: true），绝不重复出证。

                A fresh unique value (a UUID) per certificate wanted, the same on every retry: a retry with the same key and body answers the same certificate (header Idempotent-Replayed: true) and never issues twice (IETF httpapi Idempotency-Key draft; a quoted structured-field string is accepted too).
                """,
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MinLength = 1,
                MaxLength = CertificateLimits.MaxIdempotencyKeyLength,
                Pattern = "^[!#-\\[\\]-~]+$",
            },
            Example = JsonValue.Create("5f0c3a5e-8c1b-4f7e-9d55-2b8f7f0a6e41"),
        });

        Problems.Add(operation, StatusCodes.Status400BadRequest,
            "请求无效：缺少或格式错误的 Idempotency-Key，或请求体字段无效（errors/field 注明字段） · Invalid request: the Idempotency-Key is missing or malformed, or a body field is invalid (named in errors/field)");
        Problems.Add(operation, StatusCodes.Status409Conflict,
            "同一 Idempotency-Key 的请求正在处理，请按 Retry-After 重试 · A request with this Idempotency-Key is in progress: retry after Retry-After");
        Problems.Add(operation, StatusCodes.Status422UnprocessableEntity,
            "Idempotency-Key 已用于不同的请求体，或疑似匹配未经确认 · The Idempotency-Key was used with another body, or a probable match is not confirmed");
        return Task.CompletedTask;
    }
}

using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Archives.Contracts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Archives.Gateway.OpenApi;

/// <summary>
/// The contract's domain primitives as what they are on the wire: strings with the pattern and length
/// their own types declare (<see cref="IdNumber.InputPattern"/>, <see cref="DivisionCode.Pattern"/>…),
/// and closed vocabularies as enums of their codes. Without this they would be empty schemas (their
/// JSON converters are opaque to the schema exporter).
/// </summary>
internal sealed class ContractSchemas : IOpenApiSchemaTransformer
{
    private sealed record Primitive(string? Pattern, int? MaxLength, string Description, string Example);

    private static readonly Dictionary<Type, Primitive> Primitives = new()
    {
        [typeof(IdNumber)] = new(IdNumber.InputPattern, 18,
            "公民身份号码（GB 11643-1999），18 位（末位为 ISO 7064 MOD 11-2 校验码）或 15 位旧号码；只在请求体中传送，响应中只出现脱敏形式 · National ID number (GB 11643-1999): 18 characters with an ISO 7064 MOD 11-2 check character, or a legacy 15-digit number; sent in bodies only, answered only masked",
            "330106195503121238"),
        [typeof(DivisionCode)] = new(DivisionCode.Pattern, 6,
            "行政区划代码（GB/T 2260） · Administrative division code (GB/T 2260)", "330100"),
        [typeof(RegionPrefix)] = new(RegionPrefix.Pattern, 6,
            "地区：行政区划代码前缀，2 位省、4 位市、6 位县 · Region: a division-code prefix of 2 (province), 4 (city) or 6 (county) digits", "3301"),
        [typeof(ArchivalReference)] = new(ArchivalReference.Pattern, ArchivalReference.MaxLength,
            "档号（DA/T 13-2022）：全宗号-类别号-案卷号-件号 · Archival reference code (DA/T 13-2022): fonds-class-file-item", "J012-HY·1985-0034-0007"),
    };

    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;

        // The API writes numbers as numbers; the web defaults' "may be read from a string" would make
        // every generated client type them as number | string.
        if (schema.Type is { } both && (both.HasFlag(JsonSchemaType.Integer) || both.HasFlag(JsonSchemaType.Number)) && both.HasFlag(JsonSchemaType.String))
        {
            schema.Type = both & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        // Request bodies are read with no member required, so that validation names a missing one
        // (RequestBinding.AddRequestBodies); on the wire, a member the contract declares required still is.
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object
            && context.JsonTypeInfo.Properties.Any(p => DeclaredRequired(p) && schema.Required?.Contains(p.Name) != true))
        {
            schema.Required = new HashSet<string>(context.JsonTypeInfo.Properties
                .Where(p => DeclaredRequired(p) || schema.Required?.Contains(p.Name) == true)
                .Select(p => p.Name), StringComparer.Ordinal);
        }

        // A list of primitives: the exporter leaves out the items of element types with their own converter.
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Enumerable && schema.Items is null
            && context.JsonTypeInfo.ElementType is { } element && (Primitives.ContainsKey(element) || CodedTerms(element) is not null))
        {
            schema.Items = await context.GetOrCreateSchemaAsync(element, cancellationToken: cancellationToken);
        }

        if (Primitives.TryGetValue(type, out var primitive))
        {
            AsString(schema);
            schema.Pattern = primitive.Pattern;
            schema.MaxLength = primitive.MaxLength;
            schema.Description = primitive.Description;
            schema.Examples = [JsonValue.Create(primitive.Example)];
        }
        else if (CodedTerms(type) is { } terms)
        {
            AsString(schema);
            schema.Enum = [.. terms.Select(t => (JsonNode)JsonValue.Create(t.Code))];
            schema.Description = string.Join("; ", terms.Select(t => $"{t.Code}: {t.NameZh} · {t.NameEn}"));
        }
    }

    private static bool DeclaredRequired(JsonPropertyInfo property)
        => property.AttributeProvider is { } member
            && (member.IsDefined(typeof(RequiredMemberAttribute), inherit: false) || member.IsDefined(typeof(JsonRequiredAttribute), inherit: false));

    private static void AsString(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.String;
        schema.Properties = null;
        schema.Required = null;
        schema.AdditionalProperties = null;
    }

    /// <summary>The terms of a closed vocabulary (<see cref="ICodedTerm{TSelf}"/>, e.g. <see cref="RecordCategory"/>): its static <c>All</c>.</summary>
    private static IReadOnlyList<(string Code, string NameZh, string NameEn)>? CodedTerms(Type type)
    {
        if (!type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICodedTerm<>))
            || type.GetProperty("All", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not System.Collections.IEnumerable all)
        {
            return null;
        }

        var code = type.GetProperty("Code")!;
        var zh = type.GetProperty("NameZh")!;
        var en = type.GetProperty("NameEn")!;
        return [.. all.Cast<object>().Select(t => ((string)code.GetValue(t)!, (string)zh.GetValue(t)!, (string)en.GetValue(t)!))];
    }
}

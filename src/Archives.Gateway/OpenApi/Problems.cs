using Microsoft.OpenApi;

namespace Archives.Gateway.OpenApi;

/// <summary>Error answers of an operation: RFC 9457 problem details (<c>application/problem+json</c>).</summary>
internal static class Problems
{
    public const string MediaType = "application/problem+json";

    /// <summary>The component of <see cref="Microsoft.AspNetCore.Mvc.ProblemDetails"/> the framework's <c>ProducesProblem</c> also refers to.</summary>
    public const string SchemaId = "ProblemDetails";

    /// <summary>Adds a problem answer, or the description to one the endpoint already declares.</summary>
    public static void Add(OpenApiOperation operation, int status, string description)
    {
        operation.Responses ??= [];
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses.TryGetValue(key, out var existing) && existing is OpenApiResponse declared)
        {
            declared.Description = description;
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                [MediaType] = new() { Schema = new OpenApiSchemaReference(SchemaId) },
            },
        };
    }
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Archives.Gateway.OpenApi;

/// <summary>Descriptions and examples of the path parameters the routes share.</summary>
internal sealed class CommonParameters : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, (string Description, string Example)> Known = new(StringComparer.Ordinal)
    {
        ["number"] = ("证明编号：馆藏单位区划代码-出证日期-6 位随机字符 · Certificate number: holding archive's division code, issue date, six random characters", "330100-20261125-7K3M9Q"),
        ["nodeId"] = ("档案馆节点编号（通常为行政区划代码） · Archive node id in the registry (by convention its division code)", "330100"),
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Path && Known.TryGetValue(parameter.Name ?? "", out var known))
            {
                parameter.Description = known.Description;
                parameter.Example = JsonValue.Create(known.Example);
            }
        }

        return Task.CompletedTask;
    }
}

using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Archives.Gateway.OpenApi;

/// <summary>
/// The parameters an operation binds from an <c>[AsParameters]</c> type <typeparamref name="TParameters"/>, as the
/// document generator lists them from the type (names and locations from its <c>[FromQuery]</c> and
/// <c>[FromHeader]</c>), described by property. The handlers bind each as <c>StringValues?</c>, so that their own
/// parsing can refuse a repeated one and name every error at once; the generator then knows only a list of strings,
/// and <see cref="Describe"/> gives each parameter the schema of the one value it carries.
/// </summary>
internal sealed class BoundParameters<TParameters>
{
    private readonly Dictionary<string, OpenApiParameter> _byProperty = new(StringComparer.Ordinal);

    private BoundParameters(OpenApiOperation operation)
    {
        Operation = operation;
        foreach (var property in typeof(TParameters).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var (name, location) = property.GetCustomAttribute<FromHeaderAttribute>() is { } header
                ? (header.Name ?? property.Name, ParameterLocation.Header)
                : (property.GetCustomAttribute<FromQueryAttribute>()?.Name ?? property.Name, ParameterLocation.Query);
            _byProperty[property.Name] = operation.Parameters?.OfType<OpenApiParameter>().SingleOrDefault(p => p.Name == name && p.In == location)
                ?? throw new InvalidOperationException($"{typeof(TParameters).Name}.{property.Name}: the document lists no {location} parameter '{name}'.");
        }
    }

    /// <summary>The operation, for the answers that go with its parameters (<see cref="Problems.Add"/>).</summary>
    public OpenApiOperation Operation { get; }

    /// <summary>Documents <paramref name="describe"/>'s descriptions of every parameter of <typeparamref name="TParameters"/>.</summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> Transformer(
        Action<BoundParameters<TParameters>, IServiceProvider> describe)
        => (operation, context, _) =>
        {
            var parameters = new BoundParameters<TParameters>(operation);
            describe(parameters, context.ApplicationServices);
            if (parameters._byProperty.FirstOrDefault(p => p.Value.Description is null) is { Key: { } undescribed })
            {
                throw new InvalidOperationException($"{typeof(TParameters).Name}.{undescribed} is bound but not described.");
            }

            return Task.CompletedTask;
        };

    /// <summary>The parameter bound to <paramref name="property"/> (a <c>nameof</c>) carries one value of <paramref name="schema"/>.</summary>
    public void Describe(string property, string description, IOpenApiSchema schema, JsonNode? example = null)
    {
        var parameter = _byProperty[property];
        parameter.Description = description;
        parameter.Schema = schema;
        parameter.Example = example;
    }
}

using Archives.Gateway.OpenApi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.OpenApi;

namespace Archives.Gateway.Tests.OpenApi;

/// <summary>
/// Parameters bound from an <c>[AsParameters]</c> type are described by property, on the parameters the generator
/// listed from the type; one the type binds but nobody described, or one the document does not list, fails the document.
/// </summary>
public sealed class BoundParametersTests
{
    [Fact]
    public async Task Describe_SetsTheParameterBoundToTheProperty_ByItsWireNameAndLocation()
    {
        var operation = Operation(("q", ParameterLocation.Query), ("X-Subject", ParameterLocation.Header));

        await Transform(operation, (parameters, _) =>
        {
            parameters.Describe(nameof(Sample.Q), "keywords", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 5 }, "档案");
            parameters.Describe(nameof(Sample.Subject), "the subject", new OpenApiSchema { Type = JsonSchemaType.String });
        });

        var q = operation.Parameters!.OfType<OpenApiParameter>().Single(p => p.Name == "q");
        Assert.Equal("keywords", q.Description);
        Assert.Equal(5, ((OpenApiSchema)q.Schema!).MaxLength);
        Assert.Equal("档案", (string?)q.Example);
        Assert.Equal("the subject", operation.Parameters!.OfType<OpenApiParameter>().Single(p => p.Name == "X-Subject").Description);
    }

    [Fact]
    public async Task ABoundParameterLeftUndescribed_FailsTheDocument()
    {
        var operation = Operation(("q", ParameterLocation.Query), ("X-Subject", ParameterLocation.Header));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Transform(operation, (parameters, _) =>
            parameters.Describe(nameof(Sample.Q), "keywords", new OpenApiSchema { Type = JsonSchemaType.String })));

        Assert.Contains("Sample.Subject", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APropertyTheDocumentDoesNotList_FailsTheDocument()
    {
        // The header is listed as a query parameter: the location is part of what must agree.
        var operation = Operation(("q", ParameterLocation.Query), ("X-Subject", ParameterLocation.Query));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Transform(operation, (_, _) => { }));

        Assert.Contains("X-Subject", error.Message, StringComparison.Ordinal);
    }

    private static OpenApiOperation Operation(params (string Name, ParameterLocation In)[] parameters) => new()
    {
        Parameters = [.. parameters.Select(p => (IOpenApiParameter)new OpenApiParameter { Name = p.Name, In = p.In, Schema = new OpenApiSchema { Type = JsonSchemaType.Array } })],
    };

    private static Task Transform(OpenApiOperation operation, Action<BoundParameters<Sample>, IServiceProvider> describe)
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var context = new OpenApiOperationTransformerContext { DocumentName = "v1", Description = new ApiDescription(), ApplicationServices = services };
        return BoundParameters<Sample>.Transformer(describe)(operation, context, CancellationToken.None);
    }

    private sealed record Sample
    {
        [FromQuery(Name = "q")]
        public StringValues? Q { get; init; }

        [FromHeader(Name = "X-Subject")]
        public StringValues? Subject { get; init; }
    }
}

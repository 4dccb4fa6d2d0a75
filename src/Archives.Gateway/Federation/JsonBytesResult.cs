using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Archives.Gateway.Federation;

/// <summary>
/// 200 with JSON already serialised (a cached answer), described in the OpenAPI document as <typeparamref name="T"/>
/// as <c>Ok&lt;T&gt;</c> would be: <c>TypedResults.Bytes</c>, which writes it, says nothing of the body's type.
/// </summary>
internal sealed class JsonBytesResult<T>(byte[] json) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
{
    /// <summary>The content type <c>Ok&lt;T&gt;</c> writes.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => JsonContentType;

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Bytes(json, JsonContentType).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
        => builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}

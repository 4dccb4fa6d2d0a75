using System.Text.Json;
using Archives.Contracts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Archives.Gateway.Hosting;

/// <summary>
/// A request the framework could not bind (<see cref="BadHttpRequestException"/>), answered as a problem that names
/// what was wrong: the JSON path of the bad member (<c>subject.idNumber</c>, <c>categories[0]</c>), or the body.
/// </summary>
internal sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        ProblemDetails problem = (bad.StatusCode, bad.InnerException) switch
        {
            (StatusCodes.Status400BadRequest, JsonException json) => Invalid(JsonBodyError.FieldOf(json), JsonBodyError.ReasonOf(json)),
            (StatusCodes.Status400BadRequest, _) when httpContext.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not null
                => Invalid("body", "A JSON object is required."),
            _ => new ProblemDetails { Status = bad.StatusCode, Title = "The request is not valid." },
        };

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static HttpValidationProblemDetails Invalid(string field, string message)
        => new(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
        };
}

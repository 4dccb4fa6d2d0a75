using System.Text.Json;
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
            (StatusCodes.Status400BadRequest, JsonException json) => Invalid(Field(json.Path), Describe(json)),
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

    /// <summary><c>$.subject.idNumber</c> → <c>subject.idNumber</c>; the root is <c>body</c>.</summary>
    private static string Field(string? path)
    {
        var field = path?.TrimStart('$').TrimStart('.');
        return string.IsNullOrEmpty(field) ? "body" : field;
    }

    /// <summary>
    /// The reason, without the serializer's location suffix (the field is the key) or .NET type and member names.
    /// Note: the contract's primitives explain what is wrong without repeating the value, so an ID number sent never
    /// comes back in the message; an unknown member is not repeated either, since its name may be one.
    /// </summary>
    private static string Describe(JsonException json)
    {
        var message = json.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "Not a member of this request.";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "The value has the wrong type or format.";
        }

        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (at < 0)
        {
            at = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        return at > 0 ? message[..at] : message;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Archives.Contracts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Archives.Node.Problems;

/// <summary>
/// Every error is <c>application/problem+json</c> (RFC 9457). Bad input is a 400 that names the
/// field; nothing a client sends makes a 500, and a 500 says nothing about its cause.
/// </summary>
internal static class ProblemHandling
{
    public static WebApplicationBuilder AddProblemHandling(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();

        // Binding failures (malformed JSON, wrong types, too large a body) throw
        // BadHttpRequestException in every environment, so the handler below can name the field;
        // by default only Development throws and elsewhere an empty 400 is written.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        // RecordSearchRequest.Subject is `required` in the contract; the node reads it as optional
        // and reports its absence itself, under "subject", instead of a serializer message.
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.TypeInfoResolver = (options.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(static info =>
                {
                    if (info.Type == typeof(RecordSearchRequest))
                    {
                        foreach (var property in info.Properties)
                        {
                            property.IsRequired = false;
                        }
                    }
                }));
        return builder;
    }

    /// <summary>Turns request-binding failures into problems that name the field (the JSON path).</summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            ProblemDetails problem = bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => new ProblemDetails
                {
                    Status = bad.StatusCode,
                    Title = "The request body is too large.",
                },
                StatusCodes.Status415UnsupportedMediaType => new ProblemDetails
                {
                    Status = bad.StatusCode,
                    Title = "Send the request body as application/json.",
                },
                StatusCodes.Status400BadRequest when bad.InnerException is JsonException json => new HttpValidationProblemDetails(
                    new Dictionary<string, string[]> { [JsonBodyError.FieldOf(json)] = [JsonBodyError.ReasonOf(json)] })
                {
                    Status = StatusCodes.Status400BadRequest,
                },
                StatusCodes.Status400BadRequest => new HttpValidationProblemDetails(
                    new Dictionary<string, string[]> { ["body"] = ["The request body is missing or is not the JSON this operation takes."] })
                {
                    Status = StatusCodes.Status400BadRequest,
                },
                _ => new ProblemDetails { Status = bad.StatusCode },
            };

            httpContext.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
        }
    }
}

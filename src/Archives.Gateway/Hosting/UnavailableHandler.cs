using Microsoft.AspNetCore.Diagnostics;

namespace Archives.Gateway.Hosting;

/// <summary>
/// Answers a <typeparamref name="TException"/> from any endpoint with 503, <c>Retry-After</c> and <c>no-store</c>: a
/// part the gateway depends on is unavailable for a moment, and the caller may retry the same request.
/// </summary>
internal abstract class UnavailableHandler<TException>(IProblemDetailsService problems) : IExceptionHandler
    where TException : Exception
{
    private const string RetryAfterSeconds = "5";

    protected abstract string Title { get; }

    protected abstract string Detail { get; }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not TException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        httpContext.Response.Headers.CacheControl = "no-store";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = Title,
                Detail = Detail,
            },
        });
    }
}

using Microsoft.Extensions.Options;

namespace Archives.ServiceHall.Hosting;

/// <summary>
/// Headers of every answer: a Content-Security-Policy without inline script or style, no framing, no
/// referrer (a URL never carries personal data, but the policy makes sure of it), and no caching of
/// anything but static files, since nearly every page shows a citizen's records.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next, IOptions<HallOptions> options)
{
    private readonly string _policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
        $"frame-ancestors 'none'; base-uri 'self'; form-action 'self' {options.Value.Authority.GetLeftPart(UriPartial.Authority)}";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = _policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!context.Request.Path.StartsWithSegments("/css") && !context.Request.Path.StartsWithSegments("/js"))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}

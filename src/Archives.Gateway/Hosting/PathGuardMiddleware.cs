using Microsoft.AspNetCore.Http.Features;

namespace Archives.Gateway.Hosting;

/// <summary>
/// Rejects request targets that try to leave the path they name: dot segments (also as <c>%2e</c>), encoded
/// slashes or backslashes, raw backslashes, double-encoded forms of those, and empty segments.
/// </summary>
/// <remarks>
/// Note: Kestrel resolves dot segments before routing, so <c>/nodes/330100/../../api</c> would silently become
/// <c>/api</c>, and an encoded slash stays in the path for a node or a proxy in front of it to decode again; the raw
/// target is checked, and the answer is 400 rather than a quiet rewrite. Empty segments are refused because many
/// servers (nginx by default) merge them: <c>/node/v1//records</c> would pass a prefix check here and still reach
/// <c>/node/v1/records</c>.
/// </remarks>
internal sealed class PathGuardMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";

        // The decoded path, not the raw target: an absolute-form target starts with "http://".
        if (IsEscapeAttempt(raw) || context.Request.Path.Value?.Contains("//", StringComparison.Ordinal) == true)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid path",
                detail: "The path contains dot segments, empty segments or encoded slashes; request a normalised path.",
                extensions: new Dictionary<string, object?> { ["field"] = "path" })
                .ExecuteAsync(context);
        }

        return next(context);
    }

    internal static bool IsEscapeAttempt(string rawTarget)
    {
        // Spans rather than Split/Replace: this runs on every request and allocates nothing.
        var path = rawTarget.AsSpan();
        var end = path.IndexOfAny('?', '#');
        if (end >= 0)
        {
            path = path[..end];
        }

        if (path.Contains('\\'))
        {
            return true;
        }

        foreach (var encoded in (ReadOnlySpan<string>)["%2f", "%5c", "%252e", "%252f", "%255c", "%00"])
        {
            if (path.Contains(encoded, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var segment in path.Split('/'))
        {
            if (IsDotSegment(path[segment]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>.</c> or <c>..</c>, each dot written plainly or as <c>%2e</c> (any case).</summary>
    private static bool IsDotSegment(ReadOnlySpan<char> segment)
    {
        var dots = 0;
        while (!segment.IsEmpty)
        {
            if (segment[0] == '.')
            {
                segment = segment[1..];
            }
            else if (segment.StartsWith("%2e", StringComparison.OrdinalIgnoreCase))
            {
                segment = segment[3..];
            }
            else
            {
                return false;
            }

            if (++dots > 2)
            {
                return false;
            }
        }

        return dots > 0;
    }
}

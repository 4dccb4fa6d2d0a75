using Microsoft.Extensions.Options;

namespace Archives.Gateway.Federation;

/// <summary>
/// Reads a node's response body into memory inside the resilience pipeline, up to
/// <see cref="NodeClientOptions.MaxResponseBytes"/>. Reading it here (rather than letting the caller
/// stream it) puts the body under the attempt timeout and the search deadline, so a node that
/// drips bytes or sends an endless body fails its attempt instead of holding the search.
/// </summary>
/// <remarks>
/// <see cref="HttpContent.LoadIntoBufferAsync(long, CancellationToken)"/> does the reading: it refuses a
/// declared <c>Content-Length</c> over the limit before reading, stops an undeclared body at the limit
/// (<see cref="HttpRequestException"/>), and keeps the bytes in the content itself, so the JSON reader
/// reads them where they are rather than from a copy.
/// </remarks>
internal sealed class ResponseSizeLimitHandler(IOptionsMonitor<NodeClientOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(options.CurrentValue.MaxResponseBytes, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}

using Microsoft.Extensions.Options;

namespace Archives.Gateway.Federation;

/// <summary>
/// Reads a node's response body into memory inside the resilience pipeline, up to
/// <see cref="NodeClientOptions.MaxResponseBytes"/>: the body is then under the attempt timeout and the search
/// deadline, so a node that drips bytes or sends an endless body fails its attempt instead of holding the search.
/// <see cref="HttpContent.LoadIntoBufferAsync(long, CancellationToken)"/> refuses a declared length over the limit
/// before reading and keeps the bytes in the content, where the JSON reader reads them.
/// </summary>
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

using System.Net;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Federation;

/// <summary>
/// Reads a node's response body into memory inside the resilience pipeline, up to
/// <see cref="NodeClientOptions.MaxResponseBytes"/>. Reading it here (rather than letting the caller
/// stream it) puts the body under the attempt timeout and the search deadline, so a node that
/// drips bytes or sends an endless body fails its attempt instead of holding the search.
/// </summary>
internal sealed class ResponseSizeLimitHandler(IOptionsMonitor<NodeClientOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var limit = options.CurrentValue.MaxResponseBytes;
        try
        {
            if (response.Content.Headers.ContentLength > limit)
            {
                throw new NodeResponseTooLargeException(limit);
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new NodeResponseTooLargeException(limit);
                }

                buffer.Write(chunk, 0, read);
            }

            var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
            foreach (var header in response.Content.Headers)
            {
                if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            response.Content.Dispose();
            response.Content = content;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}

/// <summary>A node answered with a body larger than the gateway reads.</summary>
internal sealed class NodeResponseTooLargeException(int limit)
    : HttpRequestException($"The node's response is larger than {limit} bytes.", null, HttpStatusCode.BadGateway);

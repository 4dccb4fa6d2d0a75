using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Archives.Contracts;
using Microsoft.Extensions.Options;
using Refit;

namespace Archives.Gateway.Client;

/// <summary>
/// <see cref="IGatewayRecordStream"/> over its own <see cref="HttpClient"/> (the SDK's token handler, no retry
/// pipeline: a personal search is registered in the audit log each time it is made, so it is never repeated).
/// </summary>
internal sealed class GatewayRecordStream(HttpClient http, IOptions<ArchivesGatewayClientOptions> options) : IGatewayRecordStream
{
    public const string Path = "api/v1/records/search/stream";

    public async IAsyncEnumerable<RecordStreamEvent> SearchAsync(FederatedRecordSearchRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.Value.TotalTimeout);

        var gateway = options.Value.BaseAddress!.AbsoluteUri.TrimEnd('/');
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri($"{gateway}/{Path}"))
        {
            Content = JsonContent.Create(request, options: ArchivesGatewayClientExtensions.Json),
        };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, limit.Token);
        if (!response.IsSuccessStatusCode)
        {
            // As any other SDK call refuses: the status, headers (Retry-After) and problem details.
            throw await ApiException.Create(message, HttpMethod.Post, response, ArchivesGatewayClientExtensions.Settings);
        }

        await using var body = await response.Content.ReadAsStreamAsync(limit.Token);
        var parser = SseParser.Create(body, (type, data) => type switch
        {
            "node" => new RecordStreamEvent { Node = JsonSerializer.Deserialize<RecordNodeEvent>(data, ArchivesGatewayClientExtensions.Json) },
            "summary" => new RecordStreamEvent { Summary = JsonSerializer.Deserialize<RecordSummaryEvent>(data, ArchivesGatewayClientExtensions.Json) },
            // An event type of a later gateway version: skipped, so that an older app keeps working.
            _ => null,
        });
        await foreach (var item in parser.EnumerateAsync(limit.Token))
        {
            if (item.Data is { Node: not null } or { Summary: not null })
            {
                yield return item.Data;
            }
        }
    }
}

using Archives.Contracts;

namespace Archives.Gateway.Client;

/// <summary>
/// The streaming personal-record search, <c>POST /api/v1/records/search/stream</c> (scope <c>records.search</c>):
/// one event per archive as it answers, then the summary. Registered by <c>AddArchivesGatewayClient</c>
/// beside the Refit client, with the same token; Refit itself reads no Server-Sent Events.
/// </summary>
public interface IGatewayRecordStream
{
    /// <summary>
    /// The subject's records, archive by archive as each answers, then one summary. A refusal before the
    /// stream starts (400, 401, 403, 429, 503) is thrown as Refit's <c>ApiException</c> with its problem details.
    /// </summary>
    /// <param name="request">The subject, purpose and filters (as for <c>POST /api/v1/records/search</c>).</param>
    /// <param name="cancellationToken">Stops reading; the gateway stops asking the archives still outstanding.</param>
    IAsyncEnumerable<RecordStreamEvent> SearchAsync(FederatedRecordSearchRequest request, CancellationToken cancellationToken = default);
}

/// <summary>One event of the record stream: exactly one of <see cref="Node"/> and <see cref="Summary"/> is set.</summary>
public sealed record RecordStreamEvent
{
    /// <summary>An archive's answer (event <c>node</c>).</summary>
    public RecordNodeEvent? Node { get; init; }

    /// <summary>The last event (event <c>summary</c>).</summary>
    public RecordSummaryEvent? Summary { get; init; }
}

using System.Globalization;
using System.Net;
using Archives.Contracts;
using Archives.Gateway.Federation;
using Archives.Gateway.Registry;

namespace Archives.Gateway.Certificates;

/// <summary>
/// Fetches a record's evidence from its holding node over the node contract
/// (<c>GET /node/v1/records/{recordId}</c>, subject in headers), through the same per-authority
/// resilience pipeline and credential seam as the federation. A GET, so the pipeline may retry it.
/// </summary>
internal sealed class EvidenceSource(NodeClientFactory clients, ILogger<EvidenceSource> logger)
{
    private const int MaxSummaryLength = 2000;
    private const int MaxTitleLength = 200;
    private const int MaxFacts = 50;

    public async Task<EvidenceAnswer> FetchAsync(RegisteredNode node, string recordId, Subject subject, CancellationToken cancellationToken)
    {
        var destinations = node.UsableDestinations.ToArray();
        if (destinations.Length == 0)
        {
            return new EvidenceAnswer.Unavailable(NodeStatus.Unhealthy);
        }

        Random.Shared.Shuffle(destinations);
        var status = NodeStatus.Error;
        foreach (var destination in destinations)
        {
            try
            {
                var api = clients.For(destination.Model);
                using var response = await api.GetRecordAsync(
                    recordId,
                    subject.IdNumber?.Value,
                    subject.Name is { } name ? Uri.EscapeDataString(name) : null,
                    (subject.BirthDate ?? subject.IdNumber?.BirthDate)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    cancellationToken);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.NotFound:
                        return new EvidenceAnswer.NotFound();
                    case HttpStatusCode.Accepted when response.Content is { Status: RecordLookupStatus.RetrievalPending, Retrieval: not null }:
                        var retrieval = response.Content.Retrieval;
                        return new EvidenceAnswer.Pending(retrieval with { RetryAfterSeconds = Math.Clamp(retrieval.RetryAfterSeconds, 1, 86_400) });
                    case HttpStatusCode.OK when response.Content is { Status: RecordLookupStatus.Available, Evidence: { } evidence } && IsSound(evidence, node.NodeId, recordId):
                        return new EvidenceAnswer.Found(evidence);
                }

                // Note: only the status code is logged: a node's error body may quote personal data.
                logger.LogWarning("Node {NodeId} answered a record lookup with {StatusCode} and no usable evidence.", node.NodeId, (int?)response.StatusCode);
                status = NodeStatus.Error;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                status = NodeFanOut.Classify(e, CancellationToken.None);
                logger.LogWarning("Node {NodeId} record lookup failed: {Status} ({Exception}).", node.NodeId, status, e.GetType().Name);
            }
        }

        return new EvidenceAnswer.Unavailable(status);
    }

    /// <summary>The node's evidence is about the record asked for, and of a size a certificate can state.</summary>
    private static bool IsSound(RecordEvidence evidence, string nodeId, string recordId)
        => evidence.NodeId == nodeId && evidence.RecordId == recordId
            && evidence.Category is not null && evidence.ArchivalReference is not null
            && evidence.Title is { Length: > 0 and <= MaxTitleLength }
            && evidence.Summary is { Length: > 0 and <= MaxSummaryLength }
            && evidence.SubjectName is { Length: > 0 and <= NodeContract.MaxNameLength }
            && evidence.Facts is { Count: <= MaxFacts }
            && evidence.Facts.All(f => f.Key.Length <= 64 && f.Value is { Length: <= 500 });
}

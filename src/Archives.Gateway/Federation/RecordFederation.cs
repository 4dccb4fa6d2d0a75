using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Ledger;
using Archives.Gateway.Registry;

namespace Archives.Gateway.Federation;

/// <summary>
/// Federated personal-record search for one subject, never cached. A node is asked only for the categories it
/// holds that the query and the caller's agreement cover; the others, and nodes outside the agreement's regions,
/// are <c>not-applicable</c>.
/// </summary>
/// <remarks>
/// Every search is in the audit log before its first record leaves; one that cannot be registered is not served
/// (<see cref="AuditUnavailableException"/>, a 503). <see cref="SearchAsync"/> registers once the nodes answered,
/// with what was found; <see cref="StreamAsync"/> before any node is asked, since its first event leaves as soon as
/// a node answers, so its entry names the nodes to be asked and says <c>stream</c>.
/// </remarks>
internal sealed class RecordFederation(NodeRegistry registry, NodeFanOut fanOut, IAuditTrail audit)
{
    /// <summary>The audit outcome of a streamed search, registered before its nodes answer.</summary>
    internal const string StreamOutcome = "stream";

    public async Task<RecordSearchAnswer> SearchAsync(Caller caller, RecordQuery query, CancellationToken cancellationToken)
    {
        var events = new List<RecordNodeEvent>();
        await foreach (var node in AskAsync(Calls(caller, query), query, cancellationToken))
        {
            events.Add(node);
        }

        var summary = Summarise(events);

        // 档案利用登记. Note: when it cannot be registered this throws (a 503) and the records are not served.
        await audit.AppendAsync(Registration(caller, query, AskedNodes(summary.Nodes.Select(n => (n.NodeId, n.Status))),
            summary.Partial ? $"found={summary.Found} partial" : $"found={summary.Found}"));

        return new RecordSearchAnswer
        {
            Records = [.. events.SelectMany(e => e.Records)
                .OrderBy(r => r.Match == MatchKind.Exact ? 0 : 1)
                .ThenBy(r => r.NodeId, StringComparer.Ordinal)
                .ThenBy(r => r.EventDate)],
            Partial = summary.Partial,
            Nodes = summary.Nodes,
        };
    }

    /// <summary>Registers the search, then returns its events: a <c>node</c> event per node as it answers, then a <c>summary</c>.</summary>
    public async Task<IAsyncEnumerable<SseItem<object>>> StreamAsync(Caller caller, RecordQuery query, CancellationToken cancellationToken)
    {
        var calls = Calls(caller, query);
        // Note: registered before the first event can leave; a stream cannot take back what it has sent.
        await audit.AppendAsync(Registration(caller, query, AskedNodes(calls.Select(c => (c.Node.NodeId, c.Settled ?? NodeStatus.Ok))), StreamOutcome));
        return Events(calls, query, cancellationToken);
    }

    private async IAsyncEnumerable<SseItem<object>> Events(List<NodeCall<IReadOnlyList<RecordCategory>>> calls, RecordQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = new List<RecordNodeEvent>();
        await foreach (var node in AskAsync(calls, query, cancellationToken))
        {
            events.Add(node);
            yield return new SseItem<object>(node, "node");
        }

        yield return new SseItem<object>(Summarise(events), "summary");
    }

    private List<NodeCall<IReadOnlyList<RecordCategory>>> Calls(Caller caller, RecordQuery query) => [.. registry.Nodes
        .Where(n => query.Regions.Count == 0 || query.Regions.Any(n.IsWithin))
        .Select(n =>
        {
            IReadOnlyList<RecordCategory> applicable = !caller.Regions.Any(n.IsWithin)
                ? []
                : [.. (query.Categories.Count == 0 ? n.Description.Categories : query.Categories)
                    .Where(n.Description.Categories.Contains)
                    .Where(caller.Categories.Contains)];
            return new NodeCall<IReadOnlyList<RecordCategory>>(n, applicable, applicable.Count == 0 ? NodeStatus.NotApplicable : null);
        })];

    private async IAsyncEnumerable<RecordNodeEvent> AskAsync(List<NodeCall<IReadOnlyList<RecordCategory>>> calls, RecordQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var answer in fanOut.AskAsync(
            calls,
            (api, call, token) => api.SearchRecordsAsync(new RecordSearchRequest { Subject = query.Subject, Categories = call.State, Purpose = query.Purpose }, token),
            r => r.Records.Count,
            cancellationToken))
        {
            yield return new RecordNodeEvent
            {
                Node = answer.Outcome,
                Records = [.. (answer.Value?.Records ?? [])
                    .Select(r => ToRecord(answer.Call.Node, r))
                    .OrderBy(r => r.Match == MatchKind.Exact ? 0 : 1)
                    .ThenBy(r => r.EventDate)],
            };
        }
    }

    private static RecordSummaryEvent Summarise(List<RecordNodeEvent> events) => new()
    {
        Found = events.Sum(e => e.Records.Count),
        Partial = events.Any(e => e.Node.Missing),
        Nodes = [.. events.Select(e => e.Node).OrderBy(o => o.NodeId, StringComparer.Ordinal)],
    };

    private static List<string> AskedNodes(IEnumerable<(string NodeId, NodeStatus Status)> nodes)
        => [.. nodes.Where(n => n.Status != NodeStatus.NotApplicable).Select(n => n.NodeId).Order(StringComparer.Ordinal)];

    private static AuditRecord Registration(Caller caller, RecordQuery query, List<string> nodes, string outcome) => new(AuditActions.RecordSearch, caller)
    {
        Subject = query.Subject,
        Purpose = query.Purpose,
        Nodes = nodes,
        Outcome = outcome,
    };

    private static FederatedRecord ToRecord(RegisteredNode node, RecordMatch record) => new()
    {
        NodeId = node.NodeId,
        NodeNameZh = node.NameZh,
        NodeNameEn = node.NameEn,
        RecordId = record.RecordId,
        Category = record.Category,
        ArchivalReference = record.ArchivalReference,
        Title = record.Title,
        EventDate = record.EventDate,
        SubjectName = record.SubjectName,
        // Note: masked again whatever the node sent: a node that forgot to mask must not leak a full number.
        MaskedIdNumber = record.MaskedIdNumber is { } id ? IdNumber.Mask(id.Trim()) : null,
        Match = record.Match,
        Digitised = record.Digitised,
    };
}

using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Ledger;
using Archives.Gateway.Registry;

namespace Archives.Gateway.Federation;

/// <summary>
/// Federated personal-record search for one subject. Only nodes that hold a searched category
/// are asked (the others are <c>not-applicable</c>), each for the categories it holds. Never cached.
/// The caller's agreement narrows both: a node outside its regions, or holding none of its
/// categories, is <c>not-applicable</c>, and a node is asked only for categories the agreement covers.
/// </summary>
/// <remarks>
/// One search, two deliveries: <see cref="StreamAsync"/> hands out each node's <see cref="RecordNodeEvent"/>
/// as it answers, and <see cref="SearchAsync"/> is those same events collected into one answer. Every search
/// is registered in the audit log before the first record leaves, and one that cannot be registered is not
/// served (<see cref="AuditUnavailableException"/>, a 503): the collected answer registers after the nodes
/// answered, with what was found; the stream registers before any node is asked, because its first event
/// leaves as soon as a node answers, so its entry names the nodes to be asked and says <c>stream</c>.
/// </remarks>
internal sealed class RecordFederation(NodeRegistry registry, NodeFanOut fanOut, IAuditTrail audit)
{
    /// <summary>The audit outcome of a streamed search, registered before its nodes answer.</summary>
    internal const string StreamOutcome = "stream";

    /// <summary>The whole search as one answer: every node's event, collected.</summary>
    public async Task<RecordSearchAnswer> SearchAsync(Caller caller, RecordQuery query, CancellationToken cancellationToken)
    {
        var events = new List<RecordNodeEvent>();
        await foreach (var node in AskAsync(Calls(caller, query), query, cancellationToken))
        {
            events.Add(node);
        }

        var summary = Summarise(events);

        // 档案利用登记: the nodes were asked about the subject, so the search is registered before its answer
        // leaves. Note: when it cannot be registered this throws (a 503) and the records are not served.
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

    /// <summary>
    /// Registers the search, then returns its events as Server-Sent Events: a <c>node</c> event per node as it
    /// answers (nodes settled without a call at once), then one <c>summary</c>. Throws
    /// <see cref="AuditUnavailableException"/> before anything is asked or sent when the search cannot be registered.
    /// </summary>
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

    /// <summary>Each node to consult, with the categories it is asked for; not-applicable when there are none.</summary>
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

    /// <summary>The search itself: each node's event in the order nodes answer.</summary>
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

    /// <summary>The nodes asked about the subject (not the not-applicable ones), in id order.</summary>
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

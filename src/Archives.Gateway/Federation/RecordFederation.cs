using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Audit;
using Archives.Gateway.Registry;

namespace Archives.Gateway.Federation;

/// <summary>
/// Federated personal-record search for one subject. Only nodes that hold a searched category
/// are asked (the others are <c>not-applicable</c>), each for the categories it holds. Never cached.
/// The caller's agreement narrows both: a node outside its regions, or holding none of its
/// categories, is <c>not-applicable</c>, and a node is asked only for categories the agreement covers.
/// Every search is registered in the audit log before its answer is returned.
/// </summary>
internal sealed class RecordFederation(NodeRegistry registry, NodeFanOut fanOut, AuditTrail audit)
{
    public async Task<RecordSearchAnswer> SearchAsync(
        Caller caller, Subject subject, IReadOnlyList<RecordCategory> categories, IReadOnlyList<RegionPrefix> regions, string purpose, CancellationToken cancellationToken)
    {
        var calls = registry.Nodes
            .Where(n => regions.Count == 0 || regions.Any(n.IsWithin))
            .Select(n =>
            {
                IReadOnlyList<RecordCategory> applicable = !caller.Regions.Any(n.IsWithin)
                    ? []
                    : [.. (categories.Count == 0 ? n.Description.Categories : categories)
                        .Where(n.Description.Categories.Contains)
                        .Where(caller.Categories.Contains)];
                return new NodeCall<IReadOnlyList<RecordCategory>>(n, applicable, applicable.Count == 0 ? NodeStatus.NotApplicable : null);
            })
            .ToList();

        var records = new List<FederatedRecord>();
        var outcomes = new List<NodeOutcome>();
        await foreach (var answer in fanOut.AskAsync(
            calls,
            (api, call, token) => api.SearchRecordsAsync(new RecordSearchRequest { Subject = subject, Categories = call.State, Purpose = purpose }, token),
            r => r.Records.Count,
            cancellationToken))
        {
            outcomes.Add(answer.Outcome);
            foreach (var record in answer.Value?.Records ?? [])
            {
                records.Add(ToRecord(answer.Call.Node, record));
            }
        }

        var partial = outcomes.Any(o => o.Missing);

        // 档案利用登记: the nodes were asked about the subject, so the search is registered before its answer
        // leaves. Note: when it cannot be registered this throws (a 503) and the records are not served.
        await audit.AppendAsync(new AuditRecord(AuditActions.RecordSearch, caller)
        {
            Subject = subject,
            Purpose = purpose,
            Nodes = [.. outcomes.Where(o => o.Status != NodeStatus.NotApplicable).Select(o => o.NodeId).Order(StringComparer.Ordinal)],
            Outcome = partial ? $"found={records.Count} partial" : $"found={records.Count}",
        });

        return new RecordSearchAnswer
        {
            Records = [.. records
                .OrderBy(r => r.Match == MatchKind.Exact ? 0 : 1)
                .ThenBy(r => r.NodeId, StringComparer.Ordinal)
                .ThenBy(r => r.EventDate)],
            Partial = partial,
            Nodes = [.. outcomes.OrderBy(o => o.NodeId, StringComparer.Ordinal)],
        };
    }

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

using Archives.Gateway.Ledger;

namespace Archives.Gateway.Audit;

/// <summary>An entry as the API shows it: every stored field (so an auditor can recompute its hash).</summary>
internal sealed record AuditEntryView(
    long Sequence,
    string At,
    string Action,
    string? ClientId,
    string? ClerkId,
    string? ClerkName,
    string? Hall,
    string? SubjectId,
    string? SubjectNameBirth,
    string? Purpose,
    IReadOnlyList<string> Nodes,
    string? Outcome,
    string? Reference,
    string? TraceId,
    string PreviousHash,
    string Hash)
{
    public static AuditEntryView From(AuditEntry e) => new(
        e.Sequence, AuditChain.FormatTime(e.At), e.Action, e.ClientId, e.ClerkId, e.ClerkName, e.Hall, e.SubjectId, e.SubjectNameBirth,
        e.Purpose, e.Nodes?.Split(',') ?? [], e.Outcome, e.Reference, e.TraceId, e.PreviousHash, e.Hash);
}

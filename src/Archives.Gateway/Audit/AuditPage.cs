namespace Archives.Gateway.Audit;

/// <summary>A page of the audit log, newest first; <see cref="NextCursor"/> continues with older entries.</summary>
internal sealed record AuditPage(IReadOnlyList<AuditEntryView> Entries, string? NextCursor);

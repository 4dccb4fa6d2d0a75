using Archives.Contracts;
using Archives.Gateway.Ledger;

namespace Archives.Gateway.Certificates;

/// <summary>Certificate actions into the audit log (<see cref="IAuditTrail"/>).</summary>
internal sealed class CertificateAuditTrail(IAuditTrail trail) : ICertificateAudit
{
    public async ValueTask RecordAsync(CertificateAuditEvent entry, CancellationToken cancellationToken)
    {
        // The token is not passed on: an action that happened is registered even if its caller has gone.
        await trail.AppendAsync(RecordOf(entry));
    }

    public async Task RecordAsync(LedgerBatch batch, params IReadOnlyList<CertificateAuditEvent> entries)
    {
        await trail.AppendAsync(batch, [.. entries.Select(RecordOf)]);
    }

    private static AuditRecord RecordOf(CertificateAuditEvent entry) => new(ActionOf(entry.Action), entry.Caller)
    {
        Subject = entry.SubjectIdNumber is null && entry.SubjectName is null
            ? null
            : new Subject { IdNumber = entry.SubjectIdNumber, Name = entry.SubjectName, BirthDate = entry.SubjectBirthDate },
        Purpose = entry.Purpose,
        Nodes = entry.NodeId is null ? [] : [entry.NodeId],
        Outcome = entry.Outcome,
        Reference = entry.Action == CertificateAction.RecordRead ? $"{entry.NodeId}/{entry.RecordId}" : entry.Number,
    };

    private static string ActionOf(CertificateAction action) => action switch
    {
        CertificateAction.RecordRead => AuditActions.RecordRead,
        CertificateAction.Issued => AuditActions.CertificateIssue,
        CertificateAction.Replayed => AuditActions.CertificateReplay,
        CertificateAction.Refused => AuditActions.CertificateRefuse,
        CertificateAction.Read => AuditActions.CertificateRead,
        CertificateAction.Printed => AuditActions.CertificatePrint,
        CertificateAction.Revoked => AuditActions.CertificateRevoke,
        CertificateAction.Verified => AuditActions.CertificateVerify,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}

using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Audit;

namespace Archives.Gateway.Certificates;

/// <summary>What happened to a certificate, for the audit log (档案利用登记).</summary>
internal enum CertificateAction
{
    /// <summary>The record's evidence was read from its holding node, to issue a certificate of it.</summary>
    RecordRead,
    Issued,
    Replayed,
    Refused,
    Read,
    Printed,
    Revoked,
    Verified,
}

/// <summary>
/// One certificate action. <see cref="SubjectIdNumber"/> and <see cref="SubjectName"/> are personal
/// data: the audit log keys subjects by a keyed hash and never writes them out.
/// </summary>
internal sealed record CertificateAuditEvent(
    CertificateAction Action,
    Caller? Caller,
    string? Number,
    string? NodeId = null,
    IdNumber? SubjectIdNumber = null,
    string? SubjectName = null,
    // One of CertificateOutcomeCodes.
    string? Outcome = null)
{
    /// <summary>The subject's birth date, when given apart from the ID number (a record without one matches on name and birth date).</summary>
    public DateOnly? SubjectBirthDate { get; init; }

    /// <summary>查档用途, for issuing requests.</summary>
    public string? Purpose { get; init; }

    /// <summary>For <see cref="CertificateAction.RecordRead"/>: the record read.</summary>
    public string? RecordId { get; init; }
}

/// <summary>
/// The seam between certificates and the audit log: every certificate action goes through it.
/// Note: both methods throw (<see cref="AuditUnavailableException"/>) when the action cannot be registered;
/// the action's answer is then not served (a 503), since every read of personal data must be registered.
/// </summary>
internal interface ICertificateAudit
{
    /// <summary>Registers an action on its own (in the next ledger write).</summary>
    ValueTask RecordAsync(CertificateAuditEvent entry, CancellationToken cancellationToken);

    /// <summary>Registers actions, in order, within a ledger write (issuing, printing, revoking): all commit, or none.</summary>
    Task RecordAsync(LedgerBatch batch, params IReadOnlyList<CertificateAuditEvent> entries);
}

/// <summary>Certificate actions into the audit log (<see cref="AuditTrail"/>).</summary>
internal sealed class CertificateAuditTrail(AuditTrail trail) : ICertificateAudit
{
    public async ValueTask RecordAsync(CertificateAuditEvent entry, CancellationToken cancellationToken)
    {
        // The token is not passed on: an action that happened is registered even if its caller has gone.
        await trail.AppendAsync(RecordOf(entry));
    }

    public async Task RecordAsync(LedgerBatch batch, params IReadOnlyList<CertificateAuditEvent> entries)
    {
        var records = entries.Select(RecordOf).ToArray();
        try
        {
            await trail.AppendAsync(batch, records);
        }
        catch (Exception e)
        {
            throw trail.Unavailable(records[^1], e);
        }
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

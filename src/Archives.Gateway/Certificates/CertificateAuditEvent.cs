using Archives.Contracts;
using Archives.Gateway.Access;

namespace Archives.Gateway.Certificates;

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

    /// <summary>The evidence read from the holding node for an issuing request.</summary>
    public static CertificateAuditEvent RecordRead(Caller caller, CertificateRequest request, string nodeId, EvidenceAnswer answer)
        => new(CertificateAction.RecordRead, caller, null, nodeId, request.Subject.IdNumber, request.Subject.Name, answer.AuditCode)
        {
            SubjectBirthDate = request.Subject.BirthDate,
            Purpose = request.Purpose,
            RecordId = request.Record.RecordId,
        };

    /// <summary>What an issuing request came to: issued, replayed, or refused (the outcome's code says why).</summary>
    public static CertificateAuditEvent Of(Caller caller, CertificateRequest request, IssueOutcome outcome)
    {
        var (action, number) = outcome switch
        {
            IssueOutcome.Issued { Replayed: false } issued => (CertificateAction.Issued, issued.Certificate.Certificate.Number),
            IssueOutcome.Issued issued => (CertificateAction.Replayed, issued.Certificate.Certificate.Number),
            _ => (CertificateAction.Refused, null),
        };
        return new CertificateAuditEvent(action, caller, number, request.Record.NodeId, request.Subject.IdNumber, request.Subject.Name, outcome.AuditCode)
        {
            SubjectBirthDate = request.Subject.BirthDate,
            Purpose = request.Purpose,
        };
    }
}

using Archives.Contracts;
using Archives.Gateway.Access;

namespace Archives.Gateway.Certificates;

/// <summary>What happened to a certificate, for the audit log (档案利用登记).</summary>
internal enum CertificateAction
{
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
    string? Outcome = null);

/// <summary>
/// The seam between certificates and the audit log: every certificate action goes through it.
/// The audit feature replaces the registration (<c>services.Replace(...)</c> or its own
/// <c>AddSingleton</c> before <c>AddCertificates</c>) with its hash-chained log.
/// </summary>
internal interface ICertificateAudit
{
    ValueTask RecordAsync(CertificateAuditEvent entry, CancellationToken cancellationToken);
}

/// <summary>Until the audit log exists: a structured log line without personal data.</summary>
internal sealed class LoggingCertificateAudit(ILogger<LoggingCertificateAudit> logger) : ICertificateAudit
{
    public ValueTask RecordAsync(CertificateAuditEvent entry, CancellationToken cancellationToken)
    {
        // Note: the subject is not logged at all; its ID number's ToString() would be masked, but even a masked number with a name identifies a person.
        logger.LogInformation(
            "Certificate {Action} {Number} by client {ClientId} clerk {ClerkId} hall {Hall} node {NodeId}: {Outcome}",
            entry.Action, entry.Number, entry.Caller?.ClientId, entry.Caller?.ClerkId, entry.Caller?.Hall, entry.NodeId, entry.Outcome);
        return ValueTask.CompletedTask;
    }
}

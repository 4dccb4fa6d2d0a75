using Archives.Gateway.Ledger;

namespace Archives.Gateway.Certificates;

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

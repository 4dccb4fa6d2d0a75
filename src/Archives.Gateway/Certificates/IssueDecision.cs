using Archives.Contracts;
using Archives.Gateway.Registry;

namespace Archives.Gateway.Certificates;

/// <summary>
/// What the rules say of a request whose idempotency key this request holds. Each carries the evidence read from
/// the holding node when it was asked, to be registered with whatever is written.
/// </summary>
internal abstract record IssueDecision
{
    /// <summary>Nothing is issued, and why; <paramref name="RecordRead"/> is null when the node was not asked.</summary>
    public sealed record Refuse(IssueOutcome Outcome, CertificateAuditEvent? RecordRead) : IssueDecision;

    /// <summary>The record may be certified: what the certificate is made of.</summary>
    public sealed record Issue(RegisteredNode Node, DivisionCode Division, RecordEvidence Record, SigningKey SigningKey, CertificateAuditEvent RecordRead)
        : IssueDecision;
}

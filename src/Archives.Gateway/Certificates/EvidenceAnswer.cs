using Archives.Contracts;

namespace Archives.Gateway.Certificates;

/// <summary>What the holding node said about a record for a subject.</summary>
/// <param name="AuditCode">What the audit log stores for the evidence read (<see cref="CertificateOutcomeCodes"/>).</param>
internal abstract record EvidenceAnswer(string AuditCode)
{
    /// <summary>The record, checked against the subject by the node.</summary>
    public sealed record Found(RecordEvidence Evidence) : EvidenceAnswer(CertificateOutcomeCodes.Found);

    /// <summary>No such record for this subject (the node does not say which).</summary>
    public sealed record NotFound() : EvidenceAnswer(CertificateOutcomeCodes.NotFound);

    /// <summary>A paper record being retrieved.</summary>
    public sealed record Pending(RecordRetrieval Retrieval) : EvidenceAnswer(CertificateOutcomeCodes.Pending);

    /// <summary>The node did not answer usably (down, timeout, circuit open, error, garbage).</summary>
    public sealed record Unavailable(NodeStatus Status) : EvidenceAnswer(CertificateOutcomeCodes.Unavailable);
}

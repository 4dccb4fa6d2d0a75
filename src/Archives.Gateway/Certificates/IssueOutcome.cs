using Archives.Contracts;

namespace Archives.Gateway.Certificates;

/// <summary>What became of a request to issue.</summary>
/// <param name="AuditCode">What the audit log stores for this outcome (<see cref="CertificateOutcomeCodes"/>).</param>
internal abstract record IssueOutcome(string AuditCode)
{
    /// <summary>Issued now (201), or the certificate this key issued before (replayed).</summary>
    public sealed record Issued(IssuedCertificate Certificate, bool Replayed) : IssueOutcome(CertificateOutcomeCodes.Issued);

    /// <summary>The key was used with another body (422).</summary>
    public sealed record KeyReused() : IssueOutcome(CertificateOutcomeCodes.KeyReused);

    /// <summary>The first request with this key is still being processed (409).</summary>
    public sealed record InProgress(TimeSpan RetryAfter) : IssueOutcome(CertificateOutcomeCodes.InProgress);

    /// <summary>No node with this id in the registry (404 on <c>record.nodeId</c>).</summary>
    public sealed record UnknownNode() : IssueOutcome(CertificateOutcomeCodes.UnknownNode);

    /// <summary>No such record for this subject, or not one the caller may have (404; which is not said).</summary>
    public sealed record RecordNotFound() : IssueOutcome(CertificateOutcomeCodes.RecordNotFound);

    /// <summary>The caller's agreement does not cover the holding archive (403).</summary>
    public sealed record NotCovered() : IssueOutcome(CertificateOutcomeCodes.NotCovered);

    /// <summary>A probable match needs a clerk's confirmation (422 on <c>probableMatchConfirmed</c>).</summary>
    public sealed record ProbableMatchNotConfirmed() : IssueOutcome(CertificateOutcomeCodes.ProbableMatchNotConfirmed);

    /// <summary>The paper record is being retrieved (202 with Retry-After; the key is free to retry).</summary>
    public sealed record RetrievalPending(RecordRetrieval Retrieval) : IssueOutcome(CertificateOutcomeCodes.RetrievalPending);

    /// <summary>The holding archive did not answer usably (503, or 504 on a timeout).</summary>
    public sealed record NodeUnavailable(NodeStatus Status) : IssueOutcome(CertificateOutcomeCodes.NodeUnavailable);

    /// <summary>No signing key could be had (503).</summary>
    public sealed record SigningUnavailable() : IssueOutcome(CertificateOutcomeCodes.SigningUnavailable);
}

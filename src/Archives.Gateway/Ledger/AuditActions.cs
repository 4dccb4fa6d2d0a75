namespace Archives.Gateway.Ledger;

/// <summary>The actions the log registers.</summary>
internal static class AuditActions
{
    /// <summary>A federated personal-record search (<c>POST /api/v1/records/search</c>).</summary>
    public const string RecordSearch = "records.search";

    /// <summary>A record's evidence read from its holding node to issue a certificate.</summary>
    public const string RecordRead = "records.read";

    public const string CertificateIssue = "certificates.issue";

    /// <summary>An issuing request answered with the certificate its idempotency key issued before.</summary>
    public const string CertificateReplay = "certificates.replay";

    /// <summary>An issuing request that issued nothing (outcome says why).</summary>
    public const string CertificateRefuse = "certificates.refuse";

    public const string CertificateRead = "certificates.read";

    /// <summary>A read of a day's list of certificates (<c>GET /api/v1/certificates</c>): reference day/hall, outcome how many were shown.</summary>
    public const string CertificateList = "certificates.list";

    /// <summary>A print or reprint of the PDF.</summary>
    public const string CertificatePrint = "certificates.print";

    public const string CertificateVerify = "certificates.verify";

    public const string CertificateRevoke = "certificates.revoke";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        RecordSearch, RecordRead, CertificateIssue, CertificateReplay, CertificateRefuse, CertificateRead, CertificateList, CertificatePrint, CertificateVerify, CertificateRevoke,
    };
}

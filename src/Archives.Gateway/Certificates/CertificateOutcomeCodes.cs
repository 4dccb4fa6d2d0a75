using Archives.Contracts;

namespace Archives.Gateway.Certificates;

/// <summary>
/// The outcome codes certificate actions write to the audit log. They are stored in the hash chain, so they
/// are declared here once and never derived from type names: renaming a class must not change stored data.
/// </summary>
internal static class CertificateOutcomeCodes
{
    public const string Issued = "issued";
    public const string KeyReused = "key-reused";
    public const string InProgress = "in-progress";
    public const string UnknownNode = "unknown-node";
    public const string RecordNotFound = "record-not-found";
    public const string NotCovered = "not-covered";
    public const string ProbableMatchNotConfirmed = "probable-match-not-confirmed";
    public const string RetrievalPending = "retrieval-pending";
    public const string NodeUnavailable = "node-unavailable";
    public const string SigningUnavailable = "signing-unavailable";

    // The holding node's answer to an evidence read.
    public const string Found = "found";
    public const string NotFound = "not-found";
    public const string Pending = "pending";
    public const string Unavailable = "unavailable";

    /// <summary>Every code, as the gateway README's audit section lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Issued, KeyReused, InProgress, UnknownNode, RecordNotFound, NotCovered, ProbableMatchNotConfirmed,
        RetrievalPending, NodeUnavailable, SigningUnavailable, Found, NotFound, Pending, Unavailable,
        .. Enum.GetValues<CertificateStatus>().Select(Of),
    ];

    /// <summary>A verification's outcome: the certificate's status as the API spells it.</summary>
    public static string Of(CertificateStatus status) => status switch
    {
        CertificateStatus.Valid => "valid",
        CertificateStatus.Revoked => "revoked",
        CertificateStatus.Expired => "expired",
        CertificateStatus.Unknown => "unknown",
        CertificateStatus.Invalid => "invalid",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}

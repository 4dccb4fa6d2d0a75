using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>
/// A certificate (档案查询证明): what the gateway states, on behalf of the holding archive, that a
/// record says about a person. This is the payload of the certificate's compact JWS (ES256, the
/// signing key's <c>kid</c> in the header; keys at <c>/.well-known/certificate-keys</c>) and is
/// described by <c>contracts/schemas/certificate.v1.schema.json</c>. The subject's ID number
/// appears only masked.
/// </summary>
public sealed record Certificate
{
    /// <summary>The payload version: <c>1</c> for this one.</summary>
    public required int Version { get; init; }

    /// <summary>
    /// The certificate number: the holding archive's division code, the issue date (China time) and
    /// six random characters, e.g. <c>330100-20261125-7K3M9Q</c>.
    /// </summary>
    public required string Number { get; init; }

    /// <summary>The verification code (核验码) printed on the certificate: eight characters from an alphabet without 0/O, 1/I/L.</summary>
    public required string VerificationCode { get; init; }

    /// <summary>When it was issued, UTC.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>The same instant in China Standard Time (UTC+08:00, Asia/Shanghai), as printed.</summary>
    public required DateTimeOffset IssuedAtChina { get; init; }

    /// <summary>Until when the certificate may be relied on (UTC); afterwards verification says <c>expired</c>.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The archive holding the record (馆藏单位).</summary>
    public required CertificateArchive HoldingArchive { get; init; }

    /// <summary>The record, as the holding archive stated it.</summary>
    public required CertificateRecord Record { get; init; }

    /// <summary>The person the record is about (查档对象), ID number masked.</summary>
    public required CertificateSubject Subject { get; init; }

    /// <summary>查档用途.</summary>
    public required string Purpose { get; init; }

    /// <summary>利用方式.</summary>
    public required MannerOfUse Use { get; init; }

    /// <summary>The applicant (申请人) and their relation to the subject.</summary>
    public required CertificateApplicant Applicant { get; init; }

    /// <summary>Who issued it: the channel, the client and, at a hall, the clerk (经办人).</summary>
    public required CertificateIssuer Issuer { get; init; }
}

/// <summary>The archive holding a record.</summary>
public sealed record CertificateArchive
{
    /// <summary>The node id in the registry.</summary>
    public required string NodeId { get; init; }

    /// <summary>The archive's Chinese name (printed as the seal text).</summary>
    public required string NameZh { get; init; }

    /// <summary>The archive's English name.</summary>
    public required string NameEn { get; init; }

    /// <summary>The division the archive serves.</summary>
    public required DivisionCode DivisionCode { get; init; }
}

/// <summary>The record a certificate states.</summary>
public sealed record CertificateRecord
{
    /// <summary>The record's id at the holding node.</summary>
    public required string RecordId { get; init; }

    /// <summary>The record's category.</summary>
    public required RecordCategory Category { get; init; }

    /// <summary>档号.</summary>
    public required ArchivalReference ArchivalReference { get; init; }

    /// <summary>A one-line title, e.g. 1985年结婚登记.</summary>
    public required string Title { get; init; }

    /// <summary>What the record states, in Chinese, as the holding archive summarised it.</summary>
    public required string Summary { get; init; }

    /// <summary>The date of the recorded event.</summary>
    public required DateOnly EventDate { get; init; }

    /// <summary>Exact (the record carries the ID number) or probable (name and birth date, confirmed by a clerk).</summary>
    public required MatchKind Match { get; init; }

    /// <summary>The facts the record states, by name, in Chinese.</summary>
    public required IReadOnlyDictionary<string, string> Facts { get; init; }
}

/// <summary>The subject of a certificate.</summary>
public sealed record CertificateSubject
{
    /// <summary>The name as the record writes it.</summary>
    public required string Name { get; init; }

    /// <summary>The ID number, masked (<c>330106********123X</c>); null when neither the request nor the record had one.</summary>
    public string? MaskedIdNumber { get; init; }
}

/// <summary>Who issued a certificate.</summary>
public sealed record CertificateIssuer
{
    /// <summary>The hall or channel.</summary>
    public required CertificateChannel Channel { get; init; }

    /// <summary>The OAuth2 client that asked for it.</summary>
    public required string ClientId { get; init; }

    /// <summary>The clerk (经办人) who issued it at a hall; null for machine clients.</summary>
    public string? ClerkName { get; init; }
}

/// <summary>A certificate as the gateway returns it: the payload, its JWS and its current status.</summary>
public sealed record IssuedCertificate
{
    /// <summary>The signed payload, decoded.</summary>
    public required Certificate Certificate { get; init; }

    /// <summary>The compact JWS (ES256) whose payload is <see cref="Certificate"/>; verifiable offline with the JWKS alone.</summary>
    public required string Jws { get; init; }

    /// <summary>The id of the key that signed it (also in the JWS header).</summary>
    public required string KeyId { get; init; }

    /// <summary>Valid, revoked or expired.</summary>
    public required CertificateStatus Status { get; init; }

    /// <summary>The revocation, when revoked.</summary>
    public CertificateRevocation? Revocation { get; init; }

    /// <summary>How often the PDF was printed (downloaded).</summary>
    public required int PrintCount { get; init; }

    /// <summary>When the PDF was last printed.</summary>
    public DateTimeOffset? LastPrintedAt { get; init; }
}

/// <summary>The status of a certificate.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CertificateStatus>))]
public enum CertificateStatus
{
    /// <summary>有效: issued, neither revoked nor expired.</summary>
    [JsonStringEnumMemberName("valid")]
    Valid,

    /// <summary>已撤销: revoked; see the revocation's date and reason.</summary>
    [JsonStringEnumMemberName("revoked")]
    Revoked,

    /// <summary>已过期: past its expiry.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,

    /// <summary>无法核验: no certificate with this number and code (the two are not told apart).</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,

    /// <summary>签名无效: the JWS does not verify (altered, or not signed by a published key).</summary>
    [JsonStringEnumMemberName("invalid")]
    Invalid,
}

/// <summary>A revocation (撤销).</summary>
public sealed record CertificateRevocation
{
    /// <summary>When, UTC.</summary>
    public required DateTimeOffset RevokedAt { get; init; }

    /// <summary>Why, as the revoking clerk or operator wrote it.</summary>
    public required string Reason { get; init; }
}

/// <summary>The body of <c>POST /api/v1/certificates/{number}/revoke</c>.</summary>
public sealed record CertificateRevocationRequest
{
    /// <summary>Why the certificate is revoked, 1 to <see cref="CertificateLimits.MaxReasonLength"/> characters.</summary>
    [StringLength(CertificateLimits.MaxReasonLength, MinimumLength = 1)]
    public required string Reason { get; init; }
}

/// <summary>
/// The body of <c>POST /api/v1/certificates/verify</c>: either the number with the verification
/// code printed on the certificate, or the certificate's JWS.
/// </summary>
public sealed record CertificateVerificationRequest
{
    /// <summary>The certificate number (with <see cref="Code"/>).</summary>
    public string? Number { get; init; }

    /// <summary>The verification code (with <see cref="Number"/>).</summary>
    public string? Code { get; init; }

    /// <summary>The compact JWS (instead of number and code).</summary>
    [StringLength(CertificateLimits.MaxJwsLength)]
    public string? Jws { get; init; }
}

/// <summary>
/// The answer of a verification: the status and, for a certificate that exists, a masked summary.
/// A wrong code answers exactly as an unknown number.
/// </summary>
public sealed record CertificateVerification
{
    /// <summary>Valid, revoked, expired, unknown, or (for a JWS) invalid.</summary>
    public required CertificateStatus Status { get; init; }

    /// <summary>The masked summary; null when unknown or invalid.</summary>
    public CertificateSummary? Certificate { get; init; }

    /// <summary>The revocation, when revoked.</summary>
    public CertificateRevocation? Revocation { get; init; }
}

/// <summary>What a verifier is shown: enough to match the paper, nothing more.</summary>
public sealed record CertificateSummary
{
    /// <summary>The certificate number.</summary>
    public required string Number { get; init; }

    /// <summary>When it was issued, UTC.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>Until when it may be relied on, UTC.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The holding archive's Chinese name.</summary>
    public required string HoldingArchiveZh { get; init; }

    /// <summary>The holding archive's English name.</summary>
    public required string HoldingArchiveEn { get; init; }

    /// <summary>The record's category.</summary>
    public required RecordCategory Category { get; init; }

    /// <summary>The subject's name with all but its first and last characters masked (陈*国).</summary>
    public required string MaskedSubjectName { get; init; }

    /// <summary>The subject's masked ID number, when there is one.</summary>
    public string? MaskedIdNumber { get; init; }

    /// <summary>The id of the key that signed it.</summary>
    public required string KeyId { get; init; }
}

/// <summary>
/// The answer of <c>GET /api/v1/certificates</c>: the caller's own certificates of one day, newest first
/// (a hall's day list, 当日出证登记). A clerk sees only their hall's certificates issued through their client.
/// </summary>
public sealed record CertificateListAnswer
{
    /// <summary>The certificates of this page, newest first, each with its current status and print count.</summary>
    public required IReadOnlyList<IssuedCertificate> Certificates { get; init; }

    /// <summary>Where the next page starts; null on the last page.</summary>
    public string? NextCursor { get; init; }
}

using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>
/// The body of <c>POST /api/v1/certificates</c>: issue a certificate (档案查询证明) of one personal
/// record for its subject. Send it with an <c>Idempotency-Key</c> header (a fresh UUID per
/// certificate wanted); a retry with the same key and the same body returns the same certificate,
/// so a refreshed page, a double click or a lost response never issues twice.
/// </summary>
public sealed record CertificateRequest
{
    /// <summary>The record the certificate states: the holding node and the record's id there (from a record search).</summary>
    public required CertificateRecordReference Record { get; init; }

    /// <summary>The person the record is about: ID number, or name and birth date, or all three. The holding archive checks it against the record.</summary>
    public required Subject Subject { get; init; }

    /// <summary>查档用途: what the certificate is for, 1 to <see cref="CertificateLimits.MaxPurposeLength"/> characters (e.g. 办理退休手续).</summary>
    [StringLength(CertificateLimits.MaxPurposeLength, MinimumLength = 1)]
    public required string Purpose { get; init; }

    /// <summary>利用方式: how the record is used.</summary>
    public required MannerOfUse Use { get; init; }

    /// <summary>Who applies, and in what capacity (the subject, an agent, an official).</summary>
    public required CertificateApplicant Applicant { get; init; }

    /// <summary>Where the certificate is issued: a service hall, an online channel, or a partner archive.</summary>
    public required CertificateChannel IssuedVia { get; init; }

    /// <summary>
    /// A record without an ID number matches the subject on name and birth date only
    /// (<see cref="MatchKind.Probable"/>); a clerk confirms such a match by setting this.
    /// Without it, a certificate of a probable match is refused.
    /// </summary>
    public bool ProbableMatchConfirmed { get; init; }
}

/// <summary>A personal record at a node.</summary>
public sealed record CertificateRecordReference
{
    /// <summary>The holding node's id in the registry (by convention its division code, <c>310000</c>).</summary>
    public required string NodeId { get; init; }

    /// <summary>The record's id at that node, at most <see cref="NodeContract.MaxRecordIdLength"/> characters.</summary>
    [StringLength(NodeContract.MaxRecordIdLength, MinimumLength = 1)]
    public required string RecordId { get; init; }
}

/// <summary>The applicant (申请人) and their relation to the subject.</summary>
public sealed record CertificateApplicant
{
    /// <summary>The subject themself, an agent, or an official acting for an organ of state.</summary>
    public required ApplicantRelation Relation { get; init; }

    /// <summary>The applicant's name; required for an agent or an official (for the subject it is the subject's name).</summary>
    [StringLength(CertificateLimits.MaxNameLength)]
    public string? Name { get; init; }

    /// <summary>授权委托书: the reference of the power of attorney; required for an agent.</summary>
    [StringLength(CertificateLimits.MaxReferenceLength)]
    public string? PowerOfAttorneyReference { get; init; }

    /// <summary>The organ the official acts for (e.g. 杭州市人力资源和社会保障局); required for an official.</summary>
    [StringLength(CertificateLimits.MaxNameLength)]
    public string? Organisation { get; init; }

    /// <summary>介绍信/公函: the reference of the official letter; required for an official.</summary>
    [StringLength(CertificateLimits.MaxReferenceLength)]
    public string? LetterReference { get; init; }
}

/// <summary>How the applicant relates to the subject.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApplicantRelation>))]
public enum ApplicantRelation
{
    /// <summary>本人: the subject applies in person or through their own account.</summary>
    [JsonStringEnumMemberName("self")]
    Self,

    /// <summary>委托代理人: an agent with a power of attorney.</summary>
    [JsonStringEnumMemberName("agent")]
    Agent,

    /// <summary>公务查档: an official with a letter from their organ.</summary>
    [JsonStringEnumMemberName("official")]
    Official,
}

/// <summary>Where a certificate is issued (出证窗口或渠道).</summary>
public sealed record CertificateChannel
{
    /// <summary>A service hall, an online channel, or a partner archive.</summary>
    public required IssuingChannelKind Kind { get; init; }

    /// <summary>The service hall's division code; required for <see cref="IssuingChannelKind.Hall"/> (a clerk's own hall when a clerk signed in).</summary>
    public DivisionCode? Hall { get; init; }

    /// <summary>The hall's or channel's name as printed (e.g. 杭州市民中心, 浙里办), at most <see cref="CertificateLimits.MaxNameLength"/> characters.</summary>
    [StringLength(CertificateLimits.MaxNameLength)]
    public string? Name { get; init; }
}

/// <summary>The kind of channel a certificate is issued through.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IssuingChannelKind>))]
public enum IssuingChannelKind
{
    /// <summary>窗口: a service hall, a clerk acting for a citizen at the window.</summary>
    [JsonStringEnumMemberName("hall")]
    Hall,

    /// <summary>网上: a government app (浙里办) or web site, with no visit.</summary>
    [JsonStringEnumMemberName("online")]
    Online,

    /// <summary>跨省: a partner archive of the Yangtze River Delta acting for its citizen.</summary>
    [JsonStringEnumMemberName("partner")]
    Partner,
}

/// <summary>Bounds of the certificate API's text fields.</summary>
public static class CertificateLimits
{
    /// <summary>The longest purpose (查档用途), in characters.</summary>
    public const int MaxPurposeLength = 200;

    /// <summary>The longest name (applicant, organisation, hall or channel), in characters.</summary>
    public const int MaxNameLength = 50;

    /// <summary>The longest reference (power of attorney, letter), in characters.</summary>
    public const int MaxReferenceLength = 64;

    /// <summary>The longest revocation reason, in characters.</summary>
    public const int MaxReasonLength = 200;

    /// <summary>The longest <c>Idempotency-Key</c>, in characters.</summary>
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>The largest request body accepted, in bytes.</summary>
    public const int MaxRequestBodyBytes = 16 * 1024;

    /// <summary>The longest JWS accepted by the verification API, in characters.</summary>
    public const int MaxJwsLength = 16 * 1024;
}

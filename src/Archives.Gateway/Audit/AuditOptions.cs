using System.ComponentModel.DataAnnotations;

namespace Archives.Gateway.Audit;

/// <summary>
/// <c>Gateway:Audit</c>: the audit log (档案利用登记). It lives in the certificate ledger's database
/// (<c>Gateway:Certificates</c>, <c>ConnectionStrings:Ledger</c>); only its own settings are here.
/// </summary>
internal sealed class AuditOptions
{
    public const string Section = "Gateway:Audit";

    /// <summary>
    /// The subject key of Development when none is configured. Note: it is in the repository, so a log keyed
    /// with it would let anyone who read the repository test a guessed ID number against the log.
    /// </summary>
    public const string DevSubjectKey = "YXJjaGl2ZXMtZGV2LW9ubHktYXVkaXQtc3ViamVjdC1rZXkhIQ==";

    /// <summary>The shortest subject key accepted, in bytes (HMAC-SHA256's block is 64; its output 32).</summary>
    public const int MinSubjectKeyBytes = 32;

    /// <summary>
    /// The HMAC-SHA256 key (base64, at least 32 bytes) that turns a subject into the key the log stores. Every
    /// instance needs the same key, for the life of the log: the subject filter hashes with it. Required
    /// outside Development, where <see cref="DevSubjectKey"/> is refused.
    /// </summary>
    public string? SubjectKey { get; set; }

    /// <summary>Entries per page of <c>GET /api/v1/audit</c> when <c>limit</c> is absent.</summary>
    [Range(1, 1000, ErrorMessage = "Gateway:Audit:DefaultLimit is between 1 and 1000.")]
    public int DefaultLimit { get; set; } = 50;

    /// <summary>The largest <c>limit</c> of <c>GET /api/v1/audit</c>.</summary>
    [Range(1, 1000, ErrorMessage = "Gateway:Audit:MaxLimit is between 1 and 1000.")]
    public int MaxLimit { get; set; } = 500;

    /// <summary>The key's bytes (validated at start).</summary>
    public byte[] SubjectKeyBytes() => Convert.FromBase64String(SubjectKey!);
}

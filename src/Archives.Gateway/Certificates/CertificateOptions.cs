using System.ComponentModel.DataAnnotations;

namespace Archives.Gateway.Certificates;

/// <summary><c>Gateway:Certificates</c>: the signing keys, issuing, the PDF and verification (the ledger's place is <see cref="Ledger.LedgerOptions"/>).</summary>
internal sealed class CertificateOptions
{
    public const string Section = "Gateway:Certificates";

    /// <summary>
    /// The directory of the ES256 signing keys (<c>{yyyyMMddHHmmss}-{suffix}.pem</c>, PKCS#8); <c>{DataDirectory}/certificate-keys</c>
    /// when absent. Every instance must see the same directory (a shared volume or a mounted secret).
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>A new signing key is made when the newest is older than this (when the key directory is writable).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Gateway:Certificates:KeyRotation is between 1 day and 10 years.")]
    public TimeSpan KeyRotation { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long a certificate may be relied on; a key stays published this long after it stopped signing.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Gateway:Certificates:Validity is between 1 day and 10 years.")]
    public TimeSpan Validity { get; set; } = TimeSpan.FromDays(180);

    /// <summary>How long an instance holds an idempotency key while it issues; after that another instance may take the key over.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "Gateway:Certificates:IdempotencyLease is between 5 seconds and 1 hour.")]
    public TimeSpan IdempotencyLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a completed idempotency key is kept (the draft asks for at least 24 hours). The certificate keeps its key for good.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Gateway:Certificates:IdempotencyRetention is at least 24 hours.")]
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The CJK TrueType font of the PDF (a <c>.ttf</c>, or a <c>.ttc</c> whose first face is used).</summary>
    [Required(ErrorMessage = "Gateway:Certificates:FontFile is required.")]
    public string FontFile { get; set; } = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    /// <summary>
    /// The public address of the gateway, for the QR code (<c>https://archives.example.gov.cn</c>). When absent the
    /// request's own scheme and host are used. Note: set it in production, where the Host header is the client's to choose.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}

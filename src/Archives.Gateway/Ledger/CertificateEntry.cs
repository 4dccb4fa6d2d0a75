namespace Archives.Gateway.Ledger;

/// <summary>An issued certificate: the signed payload as issued, and what changes after (revocation, prints).</summary>
internal sealed class CertificateEntry
{
    public required string Number { get; set; }

    public required string ClientId { get; set; }

    public required string IdempotencyKey { get; set; }

    public required string Fingerprint { get; set; }

    /// <summary>The hall (division code) it was issued at, for reads within the hall.</summary>
    public string? Hall { get; set; }

    public string? ClerkId { get; set; }

    public required string NodeId { get; set; }

    public required string VerificationCode { get; set; }

    /// <summary>The JWS payload as signed (UTF-8 JSON).</summary>
    public required string PayloadJson { get; set; }

    public required string Jws { get; set; }

    public required string KeyId { get; set; }

    /// <summary>UTC.</summary>
    public DateTime IssuedAt { get; set; }

    /// <summary>UTC.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>UTC.</summary>
    public DateTime? RevokedAt { get; set; }

    public string? RevocationReason { get; set; }

    public string? RevokedBy { get; set; }

    public int PrintCount { get; set; }

    /// <summary>UTC.</summary>
    public DateTime? LastPrintedAt { get; set; }
}

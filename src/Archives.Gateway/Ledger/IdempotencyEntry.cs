namespace Archives.Gateway.Ledger;

/// <summary>One client's idempotency key.</summary>
internal sealed class IdempotencyEntry
{
    public required string ClientId { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 of the canonical request body (hex).</summary>
    public required string Fingerprint { get; set; }

    public IdempotencyState State { get; set; }

    /// <summary>Changes whenever an instance takes the key: completing it is a compare-and-set on this token.</summary>
    public Guid LeaseToken { get; set; }

    /// <summary>UTC.</summary>
    public DateTime LeaseExpiresAt { get; set; }

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC.</summary>
    public DateTime? CompletedAt { get; set; }

    public string? CertificateNumber { get; set; }
}

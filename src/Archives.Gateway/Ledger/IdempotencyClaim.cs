namespace Archives.Gateway.Ledger;

/// <summary>What a claim on a client's idempotency key found.</summary>
internal abstract record IdempotencyClaim
{
    /// <summary>This request holds the key now, until its lease runs out.</summary>
    /// <param name="LeaseToken">The token that completing or releasing the key compares against.</param>
    /// <param name="Prior">The certificate this key issued before its row was purged after its retention (the certificate's unique index keeps it); almost always none.</param>
    public sealed record Won(Guid LeaseToken, CertificateEntry? Prior) : IdempotencyClaim;

    /// <summary>The key was used with another request body.</summary>
    public sealed record Mismatch : IdempotencyClaim;

    /// <summary>Another request holds the key and is issuing.</summary>
    public sealed record Busy(TimeSpan RetryAfter) : IdempotencyClaim;

    /// <summary>The key issued this certificate.</summary>
    public sealed record Done(string CertificateNumber) : IdempotencyClaim;
}

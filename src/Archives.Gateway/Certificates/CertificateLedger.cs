using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Certificates;

/// <summary>
/// The certificate ledger: the certificates and the idempotency keys that decide which request
/// issues one. SQLite by default, PostgreSQL by configuration; the unique constraints, not any
/// cache, decide who wins.
/// </summary>
internal sealed class CertificateLedger(DbContextOptions<CertificateLedger> options) : DbContext(options)
{
    public DbSet<IdempotencyEntry> IdempotencyKeys => Set<IdempotencyEntry>();

    public DbSet<CertificateEntry> Certificates => Set<CertificateEntry>();

    public const string HallDayIndex = "ix_certificates_client_hall_issued";

    public const string ClientDayIndex = "ix_certificates_client_issued";

    /// <summary>
    /// Indexes added to the model after ledgers already existed: <c>EnsureCreated</c> makes them in a new database
    /// only, so start-up adds them where they are missing (plain <c>CREATE INDEX IF NOT EXISTS</c>, the same on
    /// SQLite and PostgreSQL).
    /// </summary>
    public static readonly IReadOnlyList<string> LaterIndexes =
    [
        $"""CREATE INDEX IF NOT EXISTS {HallDayIndex} ON certificates ("ClientId", "Hall", "IssuedAt")""",
        $"""CREATE INDEX IF NOT EXISTS {ClientDayIndex} ON certificates ("ClientId", "IssuedAt")""",
    ];

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<IdempotencyEntry>(e =>
        {
            e.ToTable("idempotency_keys");
            // The arbiter: one row per client and key, whatever the number of instances.
            e.HasKey(k => new { k.ClientId, k.Key });
            e.Property(k => k.ClientId).HasMaxLength(100);
            e.Property(k => k.Key).HasMaxLength(Archives.Contracts.CertificateLimits.MaxIdempotencyKeyLength);
            e.Property(k => k.Fingerprint).HasMaxLength(64);
            e.Property(k => k.CertificateNumber).HasMaxLength(32);
            e.HasIndex(k => k.CreatedAt);
        });

        modelBuilder.Entity<CertificateEntry>(e =>
        {
            e.ToTable("certificates");
            e.HasKey(c => c.Number);
            e.Property(c => c.Number).HasMaxLength(32);
            e.Property(c => c.ClientId).HasMaxLength(100);
            e.Property(c => c.IdempotencyKey).HasMaxLength(Archives.Contracts.CertificateLimits.MaxIdempotencyKeyLength);
            e.Property(c => c.Fingerprint).HasMaxLength(64);
            e.Property(c => c.Hall).HasMaxLength(6);
            e.Property(c => c.ClerkId).HasMaxLength(100);
            e.Property(c => c.NodeId).HasMaxLength(64);
            e.Property(c => c.VerificationCode).HasMaxLength(16);
            e.Property(c => c.KeyId).HasMaxLength(64);
            e.Property(c => c.RevocationReason).HasMaxLength(Archives.Contracts.CertificateLimits.MaxReasonLength);
            e.Property(c => c.RevokedBy).HasMaxLength(100);
            // The same key can never name two certificates, even after its idempotency row is gone.
            e.HasIndex(c => new { c.ClientId, c.IdempotencyKey }).IsUnique();
            // The day lists (GET /api/v1/certificates): a hall's day, and a client's day across halls.
            e.HasIndex(c => new { c.ClientId, c.Hall, c.IssuedAt }).HasDatabaseName(HallDayIndex);
            e.HasIndex(c => new { c.ClientId, c.IssuedAt }).HasDatabaseName(ClientDayIndex);
        });
    }
}

/// <summary>The state of an idempotency key.</summary>
internal enum IdempotencyState
{
    /// <summary>An instance holds the key (until its lease runs out) and is issuing.</summary>
    Pending = 0,

    /// <summary>The certificate is written; the key replays it.</summary>
    Completed = 1,
}

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

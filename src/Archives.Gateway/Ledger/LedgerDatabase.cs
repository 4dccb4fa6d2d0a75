using Archives.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Ledger;

/// <summary>
/// The ledger: one database for the certificates, the idempotency keys that decide which request issues one, and
/// the audit log (档案利用登记). SQLite by default, PostgreSQL by configuration; the unique constraints, not any
/// cache, decide who wins. The schema is made and changed by migrations only, one set per provider
/// (<see cref="SqliteLedgerDatabase"/>, <see cref="PostgresLedgerDatabase"/>; see the gateway README).
/// </summary>
internal abstract class LedgerDatabase(DbContextOptions options) : DbContext(options)
{
    public const string IdempotencyKeysTable = "idempotency_keys";

    public const string CertificatesTable = "certificates";

    public const string AuditTable = "audit_entries";

    public const string HallDayIndex = "ix_certificates_client_hall_issued";

    public const string ClientDayIndex = "ix_certificates_client_issued";

    public DbSet<IdempotencyEntry> IdempotencyKeys => Set<IdempotencyEntry>();

    public DbSet<CertificateEntry> Certificates => Set<CertificateEntry>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<IdempotencyEntry>(e =>
        {
            e.ToTable(IdempotencyKeysTable);
            // The arbiter: one row per client and key, whatever the number of instances.
            e.HasKey(k => new { k.ClientId, k.Key });
            e.Property(k => k.ClientId).HasMaxLength(100);
            e.Property(k => k.Key).HasMaxLength(CertificateLimits.MaxIdempotencyKeyLength);
            e.Property(k => k.Fingerprint).HasMaxLength(64);
            e.Property(k => k.CertificateNumber).HasMaxLength(32);
            e.HasIndex(k => k.CreatedAt);
        });

        modelBuilder.Entity<CertificateEntry>(e =>
        {
            e.ToTable(CertificatesTable);
            e.HasKey(c => c.Number);
            e.Property(c => c.Number).HasMaxLength(32);
            e.Property(c => c.ClientId).HasMaxLength(100);
            e.Property(c => c.IdempotencyKey).HasMaxLength(CertificateLimits.MaxIdempotencyKeyLength);
            e.Property(c => c.Fingerprint).HasMaxLength(64);
            e.Property(c => c.Hall).HasMaxLength(6);
            e.Property(c => c.ClerkId).HasMaxLength(100);
            e.Property(c => c.NodeId).HasMaxLength(64);
            e.Property(c => c.VerificationCode).HasMaxLength(16);
            e.Property(c => c.KeyId).HasMaxLength(64);
            e.Property(c => c.RevocationReason).HasMaxLength(CertificateLimits.MaxReasonLength);
            e.Property(c => c.RevokedBy).HasMaxLength(100);
            // The same key can never name two certificates, even after its idempotency row is gone.
            e.HasIndex(c => new { c.ClientId, c.IdempotencyKey }).IsUnique();
            // The day lists (GET /api/v1/certificates): a hall's day, and a client's day across halls.
            e.HasIndex(c => new { c.ClientId, c.Hall, c.IssuedAt }).HasDatabaseName(HallDayIndex);
            e.HasIndex(c => new { c.ClientId, c.IssuedAt }).HasDatabaseName(ClientDayIndex);
        });

        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable(AuditTable);
            // The arbiter of the chain: one entry per sequence number, whatever the number of instances.
            e.HasKey(a => a.Sequence);
            e.Property(a => a.Sequence).ValueGeneratedNever();
            e.Property(a => a.Action).HasMaxLength(40);
            e.Property(a => a.ClientId).HasMaxLength(100);
            e.Property(a => a.ClerkId).HasMaxLength(100);
            e.Property(a => a.ClerkName).HasMaxLength(100);
            e.Property(a => a.Hall).HasMaxLength(6);
            e.Property(a => a.SubjectId).HasMaxLength(64);
            e.Property(a => a.SubjectNameBirth).HasMaxLength(64);
            e.Property(a => a.Purpose).HasMaxLength(500);
            e.Property(a => a.Nodes).HasMaxLength(4000);
            e.Property(a => a.Outcome).HasMaxLength(100);
            e.Property(a => a.Reference).HasMaxLength(100);
            e.Property(a => a.TraceId).HasMaxLength(32);
            e.Property(a => a.PreviousHash).HasMaxLength(64);
            e.Property(a => a.Hash).HasMaxLength(64);
            e.HasIndex(a => a.At);
            e.HasIndex(a => a.ClientId);
            e.HasIndex(a => a.SubjectId);
            e.HasIndex(a => a.SubjectNameBirth);
            e.HasIndex(a => a.Reference);
        });
    }
}

using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Audit;

/// <summary>
/// The audit log (档案利用登记): one append-only, hash-chained table in the certificate ledger's database
/// (SQLite by default, PostgreSQL by <c>ConnectionStrings:Ledger</c>). A context of its own rather than
/// more entities in <c>CertificateLedger</c>, so that the table can be added to a ledger that exists
/// (<c>EnsureCreated</c> never changes an existing database; <see cref="AuditStartup"/> creates just this table).
/// </summary>
internal sealed class AuditLog(DbContextOptions<AuditLog> options) : DbContext(options)
{
    public const string Table = "audit_entries";

    public DbSet<AuditEntry> Entries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable(Table);
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

/// <summary>
/// One registration. Never the subject's ID number or name: the subject is stored as keyed hashes
/// (<see cref="SubjectId"/>, <see cref="SubjectNameBirth"/>). <see cref="Hash"/> is SHA-256 over the
/// canonical form of every other field (<see cref="AuditChain.Canonical"/>), which includes
/// <see cref="PreviousHash"/>: changing or removing an entry breaks the chain from there on.
/// </summary>
internal sealed class AuditEntry
{
    /// <summary>1, 2, 3… without gaps.</summary>
    public long Sequence { get; set; }

    /// <summary>UTC, to the microsecond (what PostgreSQL keeps).</summary>
    public DateTime At { get; set; }

    /// <summary>What was done (<see cref="AuditActions"/>).</summary>
    public required string Action { get; set; }

    /// <summary>The OAuth2 client; null for an anonymous caller (public verification).</summary>
    public string? ClientId { get; set; }

    /// <summary>The signed-in clerk's id (<c>sub</c>), when a clerk acted.</summary>
    public string? ClerkId { get; set; }

    public string? ClerkName { get; set; }

    /// <summary>The division code of the clerk's service hall.</summary>
    public string? Hall { get; set; }

    /// <summary>HMAC-SHA256 (hex) of the subject's ID number under the subject key.</summary>
    public string? SubjectId { get; set; }

    /// <summary>HMAC-SHA256 (hex) of the subject's name and birth date (records before about 1985 carry no ID number).</summary>
    public string? SubjectNameBirth { get; set; }

    /// <summary>查档用途, as the caller stated it.</summary>
    public string? Purpose { get; set; }

    /// <summary>The nodes the action touched, comma-separated node ids in order.</summary>
    public string? Nodes { get; set; }

    /// <summary>What came of it (<c>found=3</c>, <c>issued</c>, <c>record-not-found</c>, <c>valid</c>…).</summary>
    public string? Outcome { get; set; }

    /// <summary>What it was about: a certificate number, or <c>{nodeId}/{recordId}</c> for a record read.</summary>
    public string? Reference { get; set; }

    /// <summary>The W3C trace id of the request (<c>traceparent</c>), to find the request in traces and logs.</summary>
    public string? TraceId { get; set; }

    /// <summary>The previous entry's <see cref="Hash"/>; 64 zeros for the first.</summary>
    public required string PreviousHash { get; set; }

    /// <summary>SHA-256 (lower-case hex) of <see cref="AuditChain.Canonical"/>.</summary>
    public required string Hash { get; set; }
}

/// <summary>The actions the log registers.</summary>
internal static class AuditActions
{
    /// <summary>A federated personal-record search (<c>POST /api/v1/records/search</c>).</summary>
    public const string RecordSearch = "records.search";

    /// <summary>A record's evidence read from its holding node to issue a certificate.</summary>
    public const string RecordRead = "records.read";

    public const string CertificateIssue = "certificates.issue";

    /// <summary>An issuing request answered with the certificate its idempotency key issued before.</summary>
    public const string CertificateReplay = "certificates.replay";

    /// <summary>An issuing request that issued nothing (outcome says why).</summary>
    public const string CertificateRefuse = "certificates.refuse";

    public const string CertificateRead = "certificates.read";

    /// <summary>A read of a day's list of certificates (<c>GET /api/v1/certificates</c>): reference day/hall, outcome how many were shown.</summary>
    public const string CertificateList = "certificates.list";

    /// <summary>A print or reprint of the PDF.</summary>
    public const string CertificatePrint = "certificates.print";

    public const string CertificateVerify = "certificates.verify";

    public const string CertificateRevoke = "certificates.revoke";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        RecordSearch, RecordRead, CertificateIssue, CertificateReplay, CertificateRefuse, CertificateRead, CertificateList, CertificatePrint, CertificateVerify, CertificateRevoke,
    };
}

namespace Archives.Gateway.Ledger;

/// <summary>
/// One registration. Never the subject's ID number or name: the subject is stored as keyed hashes
/// (<see cref="SubjectId"/>, <see cref="SubjectNameBirth"/>). <see cref="Hash"/> is SHA-256 over the
/// canonical form of every other field (the audit chain's canonical form, see the gateway README), which includes
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

    /// <summary>SHA-256 (lower-case hex) of the canonical form.</summary>
    public required string Hash { get; set; }
}

using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>
/// The answer to <c>GET /node/v1/records/{recordId}</c>: the evidence when the record is at hand
/// (200), or a retrieval notice when it must first be fetched from paper (202).
/// </summary>
public sealed record RecordLookup
{
    /// <summary>Whether the evidence is here or being retrieved.</summary>
    public required RecordLookupStatus Status { get; init; }

    /// <summary>The evidence, when <see cref="Status"/> is <see cref="RecordLookupStatus.Available"/>.</summary>
    public RecordEvidence? Evidence { get; init; }

    /// <summary>The retrieval under way, when <see cref="Status"/> is <see cref="RecordLookupStatus.RetrievalPending"/>.</summary>
    public RecordRetrieval? Retrieval { get; init; }
}

/// <summary>Whether a record's evidence is at hand.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecordLookupStatus>))]
public enum RecordLookupStatus
{
    /// <summary>The evidence is in the answer.</summary>
    [JsonStringEnumMemberName("available")]
    Available,

    /// <summary>The record is on paper and is being retrieved; ask again after the retry time.</summary>
    [JsonStringEnumMemberName("retrieval-pending")]
    RetrievalPending,
}

/// <summary>A paper record being retrieved (调档) before its evidence can be stated.</summary>
public sealed record RecordRetrieval
{
    /// <summary>When the evidence is expected to be available.</summary>
    public required DateTimeOffset ReadyAt { get; init; }

    /// <summary>Seconds to wait before asking again (also in the <c>Retry-After</c> header).</summary>
    public required int RetryAfterSeconds { get; init; }
}

/// <summary>What a record states about its subject: the content a certificate (档案查询证明) states.</summary>
public sealed record RecordEvidence
{
    /// <summary>The record's id within the node.</summary>
    public required string RecordId { get; init; }

    /// <summary>The holding node's id.</summary>
    public required string NodeId { get; init; }

    /// <summary>The record's category.</summary>
    public required RecordCategory Category { get; init; }

    /// <summary>档号.</summary>
    public required ArchivalReference ArchivalReference { get; init; }

    /// <summary>A one-line title, e.g. 1985年结婚登记.</summary>
    public required string Title { get; init; }

    /// <summary>A summary of what the record states, in Chinese, as a certificate would quote it.</summary>
    public required string Summary { get; init; }

    /// <summary>The date of the recorded event.</summary>
    public required DateOnly EventDate { get; init; }

    /// <summary>The subject's name as the record writes it.</summary>
    public required string SubjectName { get; init; }

    /// <summary>The ID number in the record, masked; null when the record carries none.</summary>
    public string? MaskedIdNumber { get; init; }

    /// <summary>The subject's birth date as the record writes it, when it does.</summary>
    public DateOnly? SubjectBirthDate { get; init; }

    /// <summary>Exact or probable, as in the search.</summary>
    public required MatchKind Match { get; init; }

    /// <summary>The facts the record states, by name (e.g. <c>spouseName</c>, <c>registrationOffice</c>, <c>workUnit</c>), in Chinese.</summary>
    public required IReadOnlyDictionary<string, string> Facts { get; init; }
}

using System.ComponentModel.DataAnnotations;

namespace Archives.Contracts;

/// <summary>
/// A search for the personal records of one subject (<c>POST /node/v1/records/search</c>).
/// Give the ID number, or the name and birth date, or all three. Records carrying an ID number
/// match only that number (<see cref="MatchKind.Exact"/>); older records without one match on
/// name and birth date and are returned as <see cref="MatchKind.Probable"/> for a clerk to confirm.
/// </summary>
public sealed record RecordSearchRequest
{
    /// <summary>The subject.</summary>
    public required Subject Subject { get; init; }

    /// <summary>The categories to search; all the node holds when empty.</summary>
    public IReadOnlyList<RecordCategory> Categories { get; init; } = [];

    /// <summary>查档用途: why the records are sought, for the node's own register.</summary>
    public string? Purpose { get; init; }
}

/// <summary>The person records are about (查档对象).</summary>
public sealed record Subject
{
    /// <summary>The national ID number, when known.</summary>
    public IdNumber? IdNumber { get; init; }

    /// <summary>The name as registered (姓名), at most <see cref="NodeContract.MaxNameLength"/> characters.</summary>
    [StringLength(NodeContract.MaxNameLength)]
    public string? Name { get; init; }

    /// <summary>The birth date; taken from the ID number when absent.</summary>
    public DateOnly? BirthDate { get; init; }
}

/// <summary>The records of one subject held by a node.</summary>
public sealed record RecordSearchResult
{
    /// <summary>The matching records, exact matches first.</summary>
    public required IReadOnlyList<RecordMatch> Records { get; init; }
}

/// <summary>How a record matched the subject.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<MatchKind>))]
public enum MatchKind
{
    /// <summary>The record carries the subject's ID number.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("exact")]
    Exact,

    /// <summary>The record has no ID number; name and birth date agree. A clerk confirms it.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("probable")]
    Probable,
}

/// <summary>A personal record found for a subject: enough to choose it, not the evidence itself.</summary>
public sealed record RecordMatch
{
    /// <summary>The record's id, unique within the node; used to fetch its evidence.</summary>
    public required string RecordId { get; init; }

    /// <summary>The record's category.</summary>
    public required RecordCategory Category { get; init; }

    /// <summary>档号.</summary>
    public required ArchivalReference ArchivalReference { get; init; }

    /// <summary>A one-line title, e.g. 1985年结婚登记.</summary>
    public required string Title { get; init; }

    /// <summary>The date of the recorded event.</summary>
    public required DateOnly EventDate { get; init; }

    /// <summary>The subject's name as the record writes it.</summary>
    public required string SubjectName { get; init; }

    /// <summary>The ID number in the record, masked (<c>330106********123X</c>); null when the record carries none.</summary>
    public string? MaskedIdNumber { get; init; }

    /// <summary>Exact or probable.</summary>
    public required MatchKind Match { get; init; }

    /// <summary>Whether the record is digitised; if not, its evidence must first be retrieved from paper.</summary>
    public required bool Digitised { get; init; }
}

using System.ComponentModel.DataAnnotations;

namespace Archives.Contracts;

/// <summary>
/// The body of <c>POST /api/v1/records/search</c>: one subject's personal records (民生档案) across the
/// archives the caller's agreement covers.
/// </summary>
public sealed record FederatedRecordSearchRequest
{
    /// <summary>The person searched for (查档对象): ID number, or name and birth date, or all three.</summary>
    public required Subject Subject { get; init; }

    /// <summary>Only these categories; empty or null for every category the caller's agreement covers.</summary>
    public IReadOnlyList<RecordCategory>? Categories { get; init; }

    /// <summary>Only archives in these regions (division-code prefixes such as <c>33</c> or <c>3301</c>); empty or null for all.</summary>
    public IReadOnlyList<RegionPrefix>? Regions { get; init; }

    /// <summary>查档用途: why the records are searched, 1 to <see cref="NodeContract.MaxPurposeLength"/> characters (e.g. 办理退休手续).</summary>
    [StringLength(NodeContract.MaxPurposeLength, MinimumLength = 1)]
    public required string Purpose { get; init; }
}

/// <summary>The records of one subject across the nodes.</summary>
public sealed record RecordSearchAnswer
{
    /// <summary>Exact matches first, then probable ones (a clerk confirms those).</summary>
    public required IReadOnlyList<FederatedRecord> Records { get; init; }

    /// <summary>Whether a node that should have answered did not (see <see cref="Nodes"/>).</summary>
    public required bool Partial { get; init; }

    /// <summary>Each node consulted and what became of it.</summary>
    public required IReadOnlyList<NodeOutcome> Nodes { get; init; }
}

/// <summary>A personal record found at a node.</summary>
public sealed record FederatedRecord
{
    /// <summary>The holding node's id in the registry.</summary>
    public required string NodeId { get; init; }

    /// <summary>The holding archive's Chinese name.</summary>
    public required string NodeNameZh { get; init; }

    /// <summary>The holding archive's English name.</summary>
    public required string NodeNameEn { get; init; }

    /// <summary>The record's id at the holding node (what a certificate request names).</summary>
    public required string RecordId { get; init; }

    /// <summary>The record's category.</summary>
    public required RecordCategory Category { get; init; }

    /// <summary>档号 (archival reference code).</summary>
    public required ArchivalReference ArchivalReference { get; init; }

    /// <summary>A one-line title, e.g. 1985年结婚登记.</summary>
    public required string Title { get; init; }

    /// <summary>The date of the recorded event.</summary>
    public required DateOnly EventDate { get; init; }

    /// <summary>The subject's name as the record writes it.</summary>
    public required string SubjectName { get; init; }

    /// <summary>The ID number in the record, always masked (<c>330106********123X</c>).</summary>
    public string? MaskedIdNumber { get; init; }

    /// <summary>Exact (the record carries the ID number) or probable (name and birth date only).</summary>
    public required MatchKind Match { get; init; }

    /// <summary>Whether the record is digitised; otherwise a certificate waits for retrieval from paper.</summary>
    public required bool Digitised { get; init; }
}

/// <summary>
/// A <c>node</c> event of <c>POST /api/v1/records/search/stream</c>: one archive's answer, sent as soon as
/// that archive answers (or is given up on), so a hall shows archives one by one.
/// </summary>
public sealed record RecordNodeEvent
{
    /// <summary>The node and what became of it.</summary>
    public required NodeOutcome Node { get; init; }

    /// <summary>The subject's records at this node: exact matches first, then probable ones.</summary>
    public required IReadOnlyList<FederatedRecord> Records { get; init; }
}

/// <summary>The <c>summary</c> event, last of the stream: every node's outcome and the count of records found.</summary>
public sealed record RecordSummaryEvent
{
    /// <summary>Records found in all, summed over the node events.</summary>
    public required int Found { get; init; }

    /// <summary>Whether a node that should have answered did not (see <see cref="Nodes"/>).</summary>
    public required bool Partial { get; init; }

    /// <summary>Each node consulted and what became of it, ordered by node id.</summary>
    public required IReadOnlyList<NodeOutcome> Nodes { get; init; }
}

namespace Archives.Contracts;

/// <summary>One page of the federated open catalogue (开放档案目录联合检索), <c>GET /api/v1/catalog/search</c>.</summary>
public sealed record CatalogueSearchAnswer
{
    /// <summary>The merged entries, best first (reciprocal rank fusion across nodes).</summary>
    public required IReadOnlyList<FederatedCatalogueEntry> Entries { get; init; }

    /// <summary>Matching entries in all, summed over the nodes that answered this page.</summary>
    public required long Total { get; init; }

    /// <summary>Facets summed over the nodes that answered this page.</summary>
    public required CatalogueFacets Facets { get; init; }

    /// <summary>The cursor of the next page, or null when no node that answered has more.</summary>
    public string? NextCursor { get; init; }

    /// <summary>Whether a node that should have answered did not (see <see cref="Nodes"/>).</summary>
    public required bool Partial { get; init; }

    /// <summary>Each node consulted for this page and what became of it.</summary>
    public required IReadOnlyList<NodeOutcome> Nodes { get; init; }
}

/// <summary>An open-catalogue entry with the node that holds it.</summary>
public sealed record FederatedCatalogueEntry
{
    /// <summary>The holding node's id in the registry.</summary>
    public required string NodeId { get; init; }

    /// <summary>The holding archive's Chinese name.</summary>
    public required string NodeNameZh { get; init; }

    /// <summary>The holding archive's English name.</summary>
    public required string NodeNameEn { get; init; }

    /// <summary>The entry id, unique within its node.</summary>
    public required string Id { get; init; }

    /// <summary>The fonds (全宗) the entry belongs to.</summary>
    public required string Fonds { get; init; }

    /// <summary>档号 (archival reference code).</summary>
    public required ArchivalReference ArchivalReference { get; init; }

    /// <summary>The file's title (题名).</summary>
    public required string Title { get; init; }

    /// <summary>The year of the file.</summary>
    public required int Year { get; init; }

    /// <summary>The catalogue category (档案门类).</summary>
    public required CatalogueCategory Category { get; init; }

    /// <summary>The fused score, 1/(60 + rank); comparable across nodes.</summary>
    public required double Score { get; init; }

    /// <summary>The entry's rank within its node's own results (1 = the node's best).</summary>
    public required int NodeRank { get; init; }

    /// <summary>The node's own score: comparable only within that node's answer.</summary>
    public required double NodeScore { get; init; }
}

/// <summary>A <c>node</c> event of <c>GET /api/v1/catalog/search/stream</c>: one node's answer.</summary>
public sealed record CatalogueNodeEvent
{
    /// <summary>The node and what became of it.</summary>
    public required NodeOutcome Node { get; init; }

    /// <summary>The node's entries from its position on, in its own order (at most the page size).</summary>
    public required IReadOnlyList<FederatedCatalogueEntry> Entries { get; init; }
}

/// <summary>The <c>summary</c> event, last of the stream: the outcome of every node, totals, and where to continue.</summary>
public sealed record CatalogueSummaryEvent
{
    /// <summary>Matching entries in all, summed over the nodes that answered.</summary>
    public required long Total { get; init; }

    /// <summary>Facets summed over the nodes that answered.</summary>
    public required CatalogueFacets Facets { get; init; }

    /// <summary>Continues after every entry the node events delivered.</summary>
    public string? NextCursor { get; init; }

    /// <summary>Whether a node that should have answered did not.</summary>
    public required bool Partial { get; init; }

    /// <summary>Each node consulted and what became of it.</summary>
    public required IReadOnlyList<NodeOutcome> Nodes { get; init; }
}

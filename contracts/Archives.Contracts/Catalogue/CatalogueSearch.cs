using Refit;

namespace Archives.Contracts;

/// <summary>
/// The query of an open-catalogue search (<c>GET /node/v1/catalog/search</c>). Only entries open to
/// the public (开放档案) are ever searched.
/// </summary>
public sealed record CatalogueSearchQuery
{
    /// <summary>Keywords, at most <see cref="NodeContract.MaxQueryLength"/> characters; words separated by spaces must all match. Chinese words of one or more characters match inside titles.</summary>
    [AliasAs("q")]
    public string? Q { get; init; }

    /// <summary>Earliest year, inclusive.</summary>
    [AliasAs("from")]
    public int? From { get; init; }

    /// <summary>Latest year, inclusive.</summary>
    [AliasAs("to")]
    public int? To { get; init; }

    /// <summary>A catalogue category code (<see cref="CatalogueCategory"/>).</summary>
    [AliasAs("category")]
    public string? Category { get; init; }

    /// <summary>The <see cref="CatalogueSearchResult.NextCursor"/> of the previous page, with the same query.</summary>
    [AliasAs("cursor")]
    public string? Cursor { get; init; }

    /// <summary>Page size, 1 to <see cref="NodeContract.MaxLimit"/>; <see cref="NodeContract.DefaultLimit"/> when absent.</summary>
    [AliasAs("limit")]
    public int? Limit { get; init; }
}

/// <summary>One page of open-catalogue entries.</summary>
public sealed record CatalogueSearchResult
{
    /// <summary>The entries of this page, best first.</summary>
    public required IReadOnlyList<CatalogueEntry> Entries { get; init; }

    /// <summary>How many open entries match the query in all.</summary>
    public required long Total { get; init; }

    /// <summary>Counts of all matching entries by category and by decade.</summary>
    public required CatalogueFacets Facets { get; init; }

    /// <summary>The cursor of the next page, or null on the last page.</summary>
    public string? NextCursor { get; init; }
}

/// <summary>A file-level description in the open catalogue.</summary>
public sealed record CatalogueEntry
{
    /// <summary>The entry's id, unique within the node.</summary>
    public required string Id { get; init; }

    /// <summary>全宗号 and the fonds' name, e.g. <c>J012 杭州市民政局</c>.</summary>
    public required string Fonds { get; init; }

    /// <summary>档号.</summary>
    public required ArchivalReference ArchivalReference { get; init; }

    /// <summary>题名: the title.</summary>
    public required string Title { get; init; }

    /// <summary>The year the record was created.</summary>
    public required int Year { get; init; }

    /// <summary>The catalogue category.</summary>
    public required CatalogueCategory Category { get; init; }

    /// <summary>The node's relevance score: higher is better; comparable only within one node's answer to one query.</summary>
    public required double Score { get; init; }
}

/// <summary>Facet counts over all entries matching a query.</summary>
public sealed record CatalogueFacets
{
    /// <summary>Counts per catalogue category code.</summary>
    public required IReadOnlyList<FacetCount> Categories { get; init; }

    /// <summary>Counts per decade, keyed by the decade's first year (<c>1970</c>).</summary>
    public required IReadOnlyList<FacetCount> Decades { get; init; }
}

/// <summary>One value of a facet and how many entries have it.</summary>
/// <param name="Value">The value: a category code, or a decade's first year as text.</param>
/// <param name="Count">How many matching entries have it.</param>
public sealed record FacetCount(string Value, long Count);

using Archives.Contracts;

namespace Archives.Gateway.Federation;

/// <summary>What one node returned for a federated page: entries from its current position on.</summary>
internal sealed record NodeBuffer(IReadOnlyList<BufferedEntry> Entries, bool HasMore, long Total, CatalogueFacets Facets)
{
    /// <summary>This buffer followed by the node's next entries (fetched from where this one ends); total and facets stay the first answer's.</summary>
    public NodeBuffer Append(NodeBuffer next) => this with { Entries = [.. Entries, .. next.Entries], HasMore = next.HasMore };
}

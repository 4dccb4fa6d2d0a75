using Archives.Contracts;

namespace Archives.Gateway.Federation;

/// <summary>Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009) of the nodes' result lists.</summary>
/// <remarks>
/// Node scores are not comparable (each node ranks with its own engine and scale), so merging by score would let
/// whichever node inflates its scores win. RRF uses only each entry's rank r in its node's list:
/// <c>score = 1 / (k + r)</c>. An entry belongs to one node, so fusion interleaves the lists by rank, ties broken by
/// node id: a k-way merge that a page can continue exactly from each node's position. The merge stops rather than
/// guess when a node that still has entries runs out of fetched ones.
/// </remarks>
internal static class RankFusion
{
    public const int K = 60;

    /// <summary>
    /// How many times what a page would take from a node (if every node had enough hits) the node is
    /// asked for: nodes with few or no hits leave room that the others' extra entries fill.
    /// </summary>
    public const int Headroom = 2;

    public static double Score(int rank) => 1.0 / (K + rank);

    /// <summary>
    /// How many entries to ask each node for, given how many of its entries earlier pages returned
    /// (<paramref name="ranks"/>), so that one round of calls most likely fills a page of <paramref name="limit"/>.
    /// </summary>
    /// <remarks>
    /// A page holds every entry up to some rank R and none after it: R is the least rank with
    /// Σ max(0, R − rᵢ) ≥ limit, and node i gives at most R − rᵢ (asking 400 nodes for 20 each would parse 8,000
    /// entries to return 20). Each node is asked for <see cref="Headroom"/> × its share, at least 1 (its total and
    /// facets count too) and at most the limit, so a page fills in one round when up to half the nodes have nothing.
    /// </remarks>
    public static int[] Shares(IReadOnlyList<int> ranks, int limit)
    {
        if (ranks.Count == 0)
        {
            return [];
        }

        var reach = ranks.Min();
        long covered = 0;
        while (covered < limit)
        {
            reach++;
            covered += ranks.Count(r => r < reach); // each step adds at least one, so at most limit steps
        }

        return [.. ranks.Select(r => (int)Math.Clamp((long)Headroom * (reach - r), 1, limit))];
    }

    /// <summary>Merges the nodes' buffers into one page of at most <paramref name="limit"/> entries.</summary>
    /// <returns>The merged entries and how many of each node's buffered entries were used.</returns>
    public static (IReadOnlyList<FusedEntry> Entries, IReadOnlyDictionary<string, int> Consumed) Merge(
        IReadOnlyList<(string NodeId, NodePosition Start, NodeBuffer Buffer)> lists, int limit)
    {
        var ordered = lists.OrderBy(l => l.NodeId, StringComparer.Ordinal).ToList();
        var taken = new int[ordered.Count];
        var merged = new List<FusedEntry>(limit);
        while (merged.Count < limit)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 0; i < ordered.Count; i++)
            {
                var (_, start, buffer) = ordered[i];
                if (taken[i] >= buffer.Entries.Count && !buffer.HasMore)
                {
                    continue; // this node has nothing more
                }

                var rank = start.Rank + taken[i] + 1;
                if (rank < bestRank)
                {
                    best = i;
                    bestRank = rank;
                }
            }

            // Stop when no node has more, or when the best next entry belongs to a node whose fetched
            // entries are used up: continuing would skip it.
            if (best < 0 || taken[best] >= ordered[best].Buffer.Entries.Count)
            {
                break;
            }

            var entry = ordered[best].Buffer.Entries[taken[best]].Entry;
            merged.Add(new FusedEntry(ordered[best].NodeId, bestRank, Score(bestRank), entry));
            taken[best]++;
        }

        var consumed = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ordered.Count; i++)
        {
            consumed[ordered[i].NodeId] = taken[i];
        }

        return (merged, consumed);
    }

    public static NodePosition Advance(NodePosition start, NodeBuffer buffer, int consumed)
    {
        if (consumed == 0)
        {
            return buffer.Entries.Count == 0 && !buffer.HasMore ? new NodePosition(null, 0, 0, true) : start;
        }

        var last = buffer.Entries[consumed - 1];
        var rank = start.Rank + consumed;
        if (last.Index + 1 < last.PageCount)
        {
            return new NodePosition(last.PageCursor, last.Index + 1, rank, false);
        }

        return last.PageNextCursor is null
            ? new NodePosition(null, 0, 0, true)
            : new NodePosition(last.PageNextCursor, 0, rank, false);
    }

    public static CatalogueFacets SumFacets(IEnumerable<CatalogueFacets> facets)
    {
        var categories = new Dictionary<string, long>(StringComparer.Ordinal);
        var decades = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var f in facets)
        {
            Add(categories, f.Categories);
            Add(decades, f.Decades);
        }

        return new CatalogueFacets
        {
            Categories = [.. categories.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new FacetCount(c.Key, c.Value))],
            Decades = [.. decades.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new FacetCount(d.Key, d.Value))],
        };

        static void Add(Dictionary<string, long> sums, IReadOnlyList<FacetCount>? counts)
        {
            foreach (var c in counts ?? [])
            {
                if (c?.Value is { } value)
                {
                    sums[value] = sums.GetValueOrDefault(value) + Math.Max(0, c.Count);
                }
            }
        }
    }
}

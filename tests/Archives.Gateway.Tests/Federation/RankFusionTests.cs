using Archives.Contracts;
using Archives.Gateway.Federation;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Federation;

/// <summary>Reciprocal rank fusion of the nodes' lists, node by node and page by page, without HTTP.</summary>
public sealed class RankFusionTests
{
    [Fact]
    public void Score_IsReciprocalRankWithK60_FallingWithRank()
    {
        Assert.Equal(1.0 / 61, RankFusion.Score(1));
        Assert.Equal(1.0 / 80, RankFusion.Score(20));
        var scores = Enumerable.Range(1, 1000).Select(RankFusion.Score).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.Equal(1000, scores.Distinct().Count());
    }

    [Fact]
    public void Merge_InterleavesTheNodesByRank_TiesByNodeId()
    {
        var merged = Merge(6, ("330200", NodePage("330200", 5)), ("330100", NodePage("330100", 5)), ("330300", NodePage("330300", 5)));

        Assert.Equal(["330100-0001", "330200-0001", "330300-0001", "330100-0002", "330200-0002", "330300-0002"], Ids(merged.Entries));
        Assert.Equal([1, 1, 1, 2, 2, 2], merged.Entries.Select(e => e.Rank));
        Assert.Equal(merged.Entries.Select(e => RankFusion.Score(e.Rank)), merged.Entries.Select(e => e.Score));
        Assert.Equal(2, merged.Consumed["330100"]);
        Assert.Equal(2, merged.Consumed["330200"]);
        Assert.Equal(2, merged.Consumed["330300"]);
    }

    [Fact]
    public void Merge_IgnoresTheNodesOwnScores_ANodeThatInflatesItsScoresDoesNotWin()
    {
        var loud = NodePage("330100", 4, score: i => 1e9 - i);
        var quiet = NodePage("330200", 4, score: i => 1e-9 / i);

        var merged = Merge(4, ("330100", loud), ("330200", quiet));

        Assert.Equal(["330100-0001", "330200-0001", "330100-0002", "330200-0002"], Ids(merged.Entries));
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 7)]
    [InlineData(4, 10)]
    [InlineData(5, 23)]
    public void Merge_NodesWithEnoughHits_ShareAPageEvenly_TheExtraOnesToTheLowestNodeIds(int nodeCount, int limit)
    {
        var ids = Enumerable.Range(1, nodeCount).Select(i => $"33{i:D2}00").ToList();

        var merged = Merge(limit, [.. ids.Select(id => (id, NodePage(id, limit)))]);

        Assert.Equal(limit, merged.Entries.Count);
        var perNode = ids.Select(id => merged.Consumed[id]).ToList();
        Assert.True(perNode.Max() - perNode.Min() <= 1, string.Join(",", perNode));
        Assert.Equal(perNode.OrderByDescending(n => n), perNode);
        Assert.Equal(perNode, ids.Select(id => merged.Entries.Count(e => e.NodeId == id)));
    }

    [Fact]
    public void Merge_IsTheSameWhateverOrderTheNodesAnsweredIn()
    {
        (string, NodePosition, NodeBuffer)[] lists =
        [
            ("330100", NodePosition.Start, NodePage("330100", 3)),
            ("330200", new NodePosition("c2", 1, 2, false), NodePage("330200", 4, hasMore: true)),
            ("330300", NodePosition.Start, NodePage("330300", 6)),
            ("310000", new NodePosition(null, 1, 1, false), NodePage("310000", 2)),
        ];
        var expected = Ids(RankFusion.Merge(lists, 9).Entries);

        foreach (var order in Permutations(lists))
        {
            var merged = RankFusion.Merge(order, 9);
            Assert.Equal(expected, Ids(merged.Entries));
        }
    }

    [Fact]
    public void Merge_ANodeFurtherOnFromEarlierPages_WaitsUntilTheOthersReachItsRank()
    {
        // 330100 returned 2 entries on earlier pages, 330200 none yet (it joined later): 330200's first two
        // entries rank above 330100's third.
        var ahead = NodePage("330100", 3);
        var joined = NodePage("330200", 3);

        var merged = RankFusion.Merge([("330100", new NodePosition("c", 2, 2, false), ahead), ("330200", NodePosition.Start, joined)], 4);

        Assert.Equal(["330200-0001", "330200-0002", "330100-0001", "330200-0003"], Ids(merged.Entries));
        Assert.Equal([1, 2, 3, 3], merged.Entries.Select(e => e.Rank));
    }

    [Fact]
    public void Merge_StopsWhereANodeWithMoreRanOutOfFetchedEntries_RatherThanSkipIt()
    {
        // 330100 has more than the one entry fetched: its second entry (rank 2) is not known yet, so the
        // page ends before rank 2 instead of handing out 330200's second entry in its place.
        var cut = NodePage("330100", 1, hasMore: true);
        var full = NodePage("330200", 5);

        var merged = Merge(4, ("330100", cut), ("330200", full));

        Assert.Equal(["330100-0001", "330200-0001"], Ids(merged.Entries));
        Assert.Equal(1, merged.Consumed["330100"]);
        Assert.Equal(1, merged.Consumed["330200"]);
    }

    [Fact]
    public void Merge_ANodeWithNothingMore_StepsAside()
    {
        var merged = Merge(5, ("330100", NodePage("330100", 1)), ("330200", NodePage("330200", 0)), ("330300", NodePage("330300", 6)));

        Assert.Equal(["330100-0001", "330300-0001", "330300-0002", "330300-0003", "330300-0004"], Ids(merged.Entries));
        Assert.Equal(0, merged.Consumed["330200"]);
    }

    [Fact]
    public void Merge_OfNoNodes_IsAnEmptyPage()
    {
        var merged = RankFusion.Merge([], 20);

        Assert.Empty(merged.Entries);
        Assert.Empty(merged.Consumed);
    }

    [Fact]
    public void Shares_OfNoNodes_IsEmpty() => Assert.Empty(RankFusion.Shares([], 20));

    [Fact]
    public void Shares_ManyNodesForASmallPage_AskEachForTwo()
    {
        // 400 nodes, a page of 20: the page takes at most one entry from any node, so each is asked for
        // twice that, not for 20.
        var shares = RankFusion.Shares([.. Enumerable.Repeat(0, 400)], 20);

        Assert.All(shares, s => Assert.Equal(2, s));
    }

    [Fact]
    public void Shares_OneNode_IsTheWholePage_NeverMore() => Assert.Equal([20], RankFusion.Shares([0], 20));

    [Fact]
    public void Shares_ANodeFarAheadOfTheOthers_IsStillAskedForOne()
    {
        // Its total and facets count towards the page even when none of its entries can be on it.
        var shares = RankFusion.Shares([0, 0, 50], 10);

        Assert.Equal(1, shares[2]);
        Assert.Equal(10, shares[0]);
        Assert.Equal(10, shares[1]);
    }

    [Theory]
    [InlineData(new[] { 0, 0, 0 }, 20)]
    [InlineData(new[] { 0, 3, 7, 7, 12 }, 10)]
    [InlineData(new[] { 5, 0 }, 1)]
    [InlineData(new[] { 100, 101, 102, 0 }, 100)]
    [InlineData(new[] { 999_999, 1_000_000 }, 100)]
    public void Shares_CoverWhatThePageTakesFromEachNode_WhenEveryNodeHasEnough(int[] ranks, int limit)
    {
        var ids = ranks.Select((_, i) => $"33{i + 1:D2}00").ToList();
        // Every node has far more than the page could take: what the merge takes from each is its true need.
        var merged = RankFusion.Merge(
            [.. ids.Select((id, i) => (id, new NodePosition("c", 0, ranks[i], false), NodePage(id, limit, hasMore: true)))],
            limit);

        var shares = RankFusion.Shares(ranks, limit);

        Assert.Equal(limit, merged.Entries.Count);
        for (var i = 0; i < ranks.Length; i++)
        {
            Assert.InRange(shares[i], Math.Max(1, merged.Consumed[ids[i]]), limit);
            Assert.True(shares[i] == limit || shares[i] >= RankFusion.Headroom * merged.Consumed[ids[i]], $"node {i}: share {shares[i]}, took {merged.Consumed[ids[i]]}");
        }
    }

    [Fact]
    public void Advance_NothingTakenFromAnEmptyLastAnswer_IsExhausted()
    {
        var position = RankFusion.Advance(NodePosition.Start, NodePage("330100", 0), consumed: 0);

        Assert.True(position.Exhausted);
    }

    [Fact]
    public void Advance_NothingTaken_StaysWhereItWas()
    {
        var start = new NodePosition("c1", 3, 7, false);

        Assert.Equal(start, RankFusion.Advance(start, NodePage("330100", 4, hasMore: true, cursor: "c1", offset: 3), consumed: 0));
    }

    [Fact]
    public void Advance_InsideANodePage_KeepsThatPagesCursorAndTheOffsetInIt()
    {
        var buffer = NodePage("330100", 10, hasMore: true, cursor: "c1", offset: 2);

        var position = RankFusion.Advance(new NodePosition("c1", 2, 12, false), buffer, consumed: 3);

        Assert.Equal(new NodePosition("c1", 5, 15, false), position);
    }

    [Fact]
    public void Advance_ToTheEndOfANodePage_MovesToTheNodesNextCursor()
    {
        var buffer = NodePage("330100", 4, hasMore: true);

        var position = RankFusion.Advance(NodePosition.Start, buffer, consumed: 4);

        Assert.Equal(new NodePosition(NextCursorOf(null), 0, 4, false), position);
    }

    [Fact]
    public void Advance_ToTheEndOfTheNodesLastPage_IsExhausted()
    {
        var position = RankFusion.Advance(new NodePosition("c1", 0, 4, false), NodePage("330100", 3, cursor: "c1"), consumed: 3);

        Assert.True(position.Exhausted);
    }

    [Fact]
    public void Append_KeepsTheFirstAnswersTotalAndFacets_AndTheLastAnswersHasMore()
    {
        var first = NodePage("330100", 2, hasMore: true) with { Total = 9, Facets = Facets(("documents", 9)) };
        var next = NodePage("330100", 2, hasMore: false, cursor: NextCursorOf(null)) with { Total = 1, Facets = Facets(("photographs", 1)) };

        var both = first.Append(next);

        Assert.Equal(4, both.Entries.Count);
        Assert.False(both.HasMore);
        Assert.Equal(9, both.Total);
        Assert.Same(first.Facets, both.Facets);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(20)]
    public void Paging_ThroughCursors_ReturnsEveryEntryOnce_InTheOrderOfOneMergeOfEverything(int limit)
    {
        // Uneven nodes: one that pages smaller than asked, one with a single hit, one with none.
        SimulatedNode[] nodes = [new("330100", 7, 100), new("330200", 13, 2), new("330300", 1, 100), new("330400", 0, 100), new("310000", 30, 4)];
        var expected = nodes
            .SelectMany(n => Enumerable.Range(1, n.Hits).Select(rank => (n.NodeId, Rank: rank)))
            .OrderBy(e => e.Rank).ThenBy(e => e.NodeId, StringComparer.Ordinal)
            .Select(e => $"{e.NodeId}-{e.Rank:D4}")
            .ToList();

        var seen = Page(nodes, limit);

        Assert.Equal(expected, seen);
    }

    [Fact]
    public void Paging_NodesWithEnoughHits_FillEveryPageButTheLast()
    {
        SimulatedNode[] nodes = [new("330100", 40, 100), new("330200", 40, 3), new("330300", 41, 100)];
        var pages = new List<int>();

        var seen = Page(nodes, 8, pages.Add);

        Assert.Equal(121, seen.Count);
        Assert.Equal([.. Enumerable.Repeat(8, 15), 1], pages);
    }

    [Fact]
    public void SumFacets_AddsCountsPerValue_CategoriesByCountThenCode_DecadesInOrder()
    {
        var sum = RankFusion.SumFacets(
        [
            new CatalogueFacets { Categories = [new("photographs", 2), new("documents", 3)], Decades = [new("1980", 1), new("1950", 4)] },
            new CatalogueFacets { Categories = [new("technical", 5), new("documents", 2)], Decades = [new("1950", 1), new("2000", 6)] },
            new CatalogueFacets { Categories = [new("accounting", 2)], Decades = [] },
        ]);

        Assert.Equal([new("documents", 5), new("technical", 5), new("accounting", 2), new("photographs", 2)], sum.Categories);
        Assert.Equal([new("1950", 5), new("1980", 1), new("2000", 6)], sum.Decades);
    }

    [Fact]
    public void SumFacets_IgnoresWhatANodeSendsThatCannotCount()
    {
        // A node is not trusted to send sane facets: missing lists and values, and negative counts, add nothing.
        var sum = RankFusion.SumFacets(
        [
            new CatalogueFacets { Categories = null!, Decades = [null!, new(null!, 3), new("1970", -4)] },
            new CatalogueFacets { Categories = [new("documents", 1)], Decades = null! },
        ]);

        Assert.Equal([new("documents", 1)], sum.Categories);
        Assert.Equal([new("1970", 0)], sum.Decades);
    }

    /// <summary>
    /// Pages through <paramref name="nodes"/> as the federation does: each node asked for its share from its
    /// position, the buffers merged, positions advanced and carried to the next page in an encoded cursor.
    /// </summary>
    private static List<string> Page(IReadOnlyList<SimulatedNode> nodes, int limit, Action<int>? pageSize = null)
    {
        const string fingerprint = "query";
        var seen = new List<string>();
        CatalogueCursor? cursor = null;
        for (var page = 0; page < 500; page++)
        {
            var open = nodes.Select(n => (Node: n, From: cursor?.PositionOf(n.NodeId) ?? NodePosition.Start)).Where(n => !n.From.Exhausted).ToList();
            var shares = RankFusion.Shares([.. open.Select(n => n.From.Rank)], limit);
            var lists = open.Select((n, i) => (n.Node.NodeId, n.From, Buffer: n.Node.Fetch(n.From, shares[i]))).ToList();
            var merged = RankFusion.Merge([.. lists.Select(l => (l.NodeId, l.From, l.Buffer))], limit);
            Assert.InRange(merged.Entries.Count, 1, limit);
            pageSize?.Invoke(merged.Entries.Count);
            seen.AddRange(Ids(merged.Entries));

            var positions = nodes.ToDictionary(n => n.NodeId, n => cursor?.PositionOf(n.NodeId) ?? NodePosition.Start, StringComparer.Ordinal);
            foreach (var (nodeId, from, buffer) in lists)
            {
                positions[nodeId] = RankFusion.Advance(from, buffer, merged.Consumed[nodeId]);
            }

            if (positions.Values.All(p => p.Exhausted))
            {
                return seen;
            }

            Assert.True(CatalogueCursor.TryDecode(new CatalogueCursor(positions).Encode(fingerprint), fingerprint, 8192, out cursor, out var error), error);
        }

        throw new InvalidOperationException("Paging did not end.");
    }

    private static (IReadOnlyList<FusedEntry> Entries, IReadOnlyDictionary<string, int> Consumed) Merge(int limit, params (string NodeId, NodeBuffer Buffer)[] lists)
        => RankFusion.Merge([.. lists.Select(l => (l.NodeId, NodePosition.Start, l.Buffer))], limit);

    /// <summary>One node page of <paramref name="count"/> entries (from <paramref name="offset"/> on) as a node buffer holds it.</summary>
    private static NodeBuffer NodePage(string nodeId, int count, bool hasMore = false, string? cursor = null, int offset = 0, Func<int, double>? score = null)
    {
        var entries = Catalogue.Entries(nodeId, count)
            .Select((e, i) => e with { Score = score?.Invoke(i + 1) ?? e.Score })
            .ToList();
        var pageCount = offset + count;
        var next = hasMore ? NextCursorOf(cursor) : null;
        return new NodeBuffer([.. entries.Select((e, i) => new BufferedEntry(e, cursor, offset + i, pageCount, next))], hasMore, count, Facets());
    }

    private static string NextCursorOf(string? cursor) => (cursor ?? "") + ">";

    private static CatalogueFacets Facets(params (string Value, long Count)[] categories)
        => new() { Categories = [.. categories.Select(c => new FacetCount(c.Value, c.Count))], Decades = [] };

    private static List<string> Ids(IEnumerable<FusedEntry> entries) => [.. entries.Select(e => e.Entry.Id)];

    private static IEnumerable<T[]> Permutations<T>(T[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            foreach (var rest in Permutations([.. items[..i], .. items[(i + 1)..]]))
            {
                yield return [items[i], .. rest];
            }
        }
    }

    /// <summary>
    /// A node with <paramref name="Hits"/> entries in pages of at most <paramref name="PageSize"/>; its cursor
    /// names the page's first index. It answers as the federation fetches: the page holding the position,
    /// and the pages after it while fewer than asked were buffered.
    /// </summary>
    private sealed record SimulatedNode(string NodeId, int Hits, int PageSize)
    {
        private readonly IReadOnlyList<CatalogueEntry> _entries = Catalogue.Entries(NodeId, Hits);

        public NodeBuffer Fetch(NodePosition from, int want)
        {
            var buffered = new List<BufferedEntry>();
            var pageStart = from.Cursor is null ? 0 : int.Parse(from.Cursor, System.Globalization.CultureInfo.InvariantCulture);
            var offset = from.Offset;
            string? next;
            while (true)
            {
                var pageCount = Math.Min(PageSize, Hits - pageStart);
                next = pageStart + pageCount < Hits ? (pageStart + pageCount).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                for (var i = offset; i < pageCount; i++)
                {
                    buffered.Add(new BufferedEntry(_entries[pageStart + i], pageStart == 0 ? null : pageStart.ToString(System.Globalization.CultureInfo.InvariantCulture), i, pageCount, next));
                }

                if (buffered.Count >= want || next is null)
                {
                    break;
                }

                pageStart += pageCount;
                offset = 0;
            }

            return new NodeBuffer(buffered, next is not null, Hits, Facets());
        }
    }
}

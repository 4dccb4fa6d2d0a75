using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Archives.Contracts;
using Archives.Gateway.Caching;
using Archives.Gateway.Registry;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace Archives.Gateway.Federation;

/// <summary>Federated open-catalogue search: fan-out, fusion, paging, caching.</summary>
internal sealed class CatalogueFederation(
    NodeRegistry registry, NodeFanOut fanOut, IFusionCache cache, GatewayCacheEntries entries, IOptions<JsonOptions> json)
{
    // The API's own serializer settings (web defaults, nulls omitted), so the bytes are what Ok<CatalogueSearchAnswer> would write.
    private readonly JsonTypeInfo<CatalogueSearchAnswer> _answerJson =
        (JsonTypeInfo<CatalogueSearchAnswer>)json.Value.SerializerOptions.GetTypeInfo(typeof(CatalogueSearchAnswer));

    /// <summary>Rounds of node calls one page may take: the first, and follow-ups when nodes with more ran out of fetched entries.</summary>
    private const int MaxRounds = 3;

    private sealed record Answered(RegisteredNode Node, NodePosition Start, NodeBuffer Buffer);

    private sealed record NodeFetch(NodePosition From, int Want);

    /// <summary>One merged page as the UTF-8 JSON of its <see cref="CatalogueSearchAnswer"/>, from the cache when it holds one.</summary>
    /// <remarks>
    /// Cached serialised: an answer names every node consulted (400 outcomes province-wide), and serialising it on
    /// every hit would cost more than the rest of the hit.
    /// </remarks>
    public async Task<byte[]> SearchAsync(CatalogueSearchRequest request, string accessTier, CancellationToken cancellationToken)
    {
        var selection = request.Query.Select(registry);
        var nodes = selection.Nodes;
        var key = CacheKeys.Catalogue(accessTier, request.Query.Fingerprint, request.Limit, request.RawCursor, selection.Key);
        return await cache.GetOrSetAsync<byte[]>(
            key,
            async (context, token) =>
            {
                var answer = await FanOutAsync(request, nodes, token);
                if (answer.Partial)
                {
                    // A partial page is kept briefly: long enough to absorb a burst, short enough for the node's recovery to show.
                    context.Options.Duration = entries.PartialCatalogueDuration;
                }

                // Tags are set here, on a miss, rather than passed in: a hit does not need them built.
                context.Tags = CacheKeys.NodeTags(nodes);
                return JsonSerializer.SerializeToUtf8Bytes(answer, _answerJson);
            },
            options: entries.Catalogue,
            token: cancellationToken);
    }

    /// <remarks>
    /// Each node is asked for its share of the page (<see cref="RankFusion.Shares"/>). When the page comes up short
    /// because nodes that have more ran out of fetched entries, those are asked again for what the page lacks, within
    /// the rest of the deadline. A node that fails a follow-up keeps its first outcome, and the page stops where its
    /// next entry would be: shorter, never skipping; the next cursor resumes there.
    /// </remarks>
    private async Task<CatalogueSearchAnswer> FanOutAsync(CatalogueSearchRequest request, IReadOnlyList<RegisteredNode> nodes, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, NodeOutcome>(StringComparer.Ordinal);
        var answered = new Dictionary<string, Answered>(StringComparer.Ordinal);
        var positions = new Dictionary<string, NodePosition>(StringComparer.Ordinal);
        var calls = Calls(request, nodes, from => RankFusion.Shares([.. from.Select(p => p.Rank)], request.Limit));
        await foreach (var answer in AskAsync(request.Query, calls, cancellationToken))
        {
            var node = answer.Call.Node;
            positions[node.NodeId] = answer.Call.State.From;
            outcomes[node.NodeId] = answer.Outcome;
            if (answer.Value is { } buffer)
            {
                answered[node.NodeId] = new Answered(node, answer.Call.State.From, buffer);
            }
        }

        var (merged, consumed) = Merge(answered.Values, request.Limit);
        var gaveUp = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 2; round <= MaxRounds && merged.Count < request.Limit; round++)
        {
            var rest = fanOut.Deadline - clock.Elapsed;
            var more = answered.Values
                .Where(a => a.Buffer.HasMore && consumed[a.Node.NodeId] == a.Buffer.Entries.Count && !gaveUp.Contains(a.Node.NodeId))
                .Select(a => new NodeCall<NodeFetch>(a.Node, new NodeFetch(RankFusion.Advance(a.Start, a.Buffer, a.Buffer.Entries.Count), request.Limit - merged.Count)))
                .ToList();
            if (more.Count == 0 || rest <= TimeSpan.Zero)
            {
                break;
            }

            await foreach (var answer in AskAsync(request.Query, more, cancellationToken, rest))
            {
                var nodeId = answer.Call.Node.NodeId;
                if (answer.Value is { } next)
                {
                    answered[nodeId] = answered[nodeId] with { Buffer = answered[nodeId].Buffer.Append(next) };
                    outcomes[nodeId] = outcomes[nodeId] with { LatencyMs = outcomes[nodeId].LatencyMs + answer.Outcome.LatencyMs };
                }
                else
                {
                    gaveUp.Add(nodeId);
                }
            }

            (merged, consumed) = Merge(answered.Values, request.Limit);
        }

        foreach (var a in answered.Values)
        {
            positions[a.Node.NodeId] = RankFusion.Advance(a.Start, a.Buffer, consumed[a.Node.NodeId]);
        }

        var byId = nodes.ToDictionary(n => n.NodeId, StringComparer.Ordinal);
        var all = answered.Values.ToList();
        return new CatalogueSearchAnswer
        {
            Entries = [.. merged.Select(e => ToEntry(byId[e.NodeId], e.Entry, e.Rank, e.Score))],
            Total = all.Sum(a => a.Buffer.Total),
            Facets = RankFusion.SumFacets(all.Select(a => a.Buffer.Facets)),
            NextCursor = NextCursor(request, nodes, all, positions),
            Partial = outcomes.Values.Any(o => o.Missing),
            Nodes = [.. outcomes.Values.OrderBy(o => o.NodeId, StringComparer.Ordinal)],
        };

        static (IReadOnlyList<FusedEntry> Entries, IReadOnlyDictionary<string, int> Consumed) Merge(IEnumerable<Answered> answered, int limit)
            => RankFusion.Merge([.. answered.Select(a => (a.Node.NodeId, a.Start, a.Buffer))], limit);
    }

    /// <summary>
    /// The same search as Server-Sent Events: a <c>node</c> event per node as it answers, then a <c>summary</c>.
    /// Not cached: it exists to show the first answers while slow nodes are still out.
    /// </summary>
    public async IAsyncEnumerable<SseItem<object>> StreamAsync(CatalogueSearchRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var nodes = request.Query.Select(registry).Nodes;
        var outcomes = new List<NodeOutcome>();
        var answered = new List<Answered>();
        var positions = new Dictionary<string, NodePosition>(StringComparer.Ordinal);
        var calls = Calls(request, nodes, from => [.. from.Select(_ => request.Limit)]);
        await foreach (var answer in AskAsync(request.Query, calls, cancellationToken))
        {
            var node = answer.Call.Node;
            var start = answer.Call.State.From;
            positions[node.NodeId] = start;
            outcomes.Add(answer.Outcome);
            var delivered = new List<FederatedCatalogueEntry>();
            if (answer.Value is { } buffer)
            {
                answered.Add(new Answered(node, start, buffer));
                var count = Math.Min(request.Limit, buffer.Entries.Count);
                for (var i = 0; i < count; i++)
                {
                    var rank = start.Rank + i + 1;
                    delivered.Add(ToEntry(node, buffer.Entries[i].Entry, rank, RankFusion.Score(rank)));
                }

                // The stream delivers each node's entries whole, so the next page continues after all of them.
                positions[node.NodeId] = RankFusion.Advance(start, buffer, count);
            }

            yield return new SseItem<object>(new CatalogueNodeEvent { Node = answer.Outcome, Entries = delivered }, "node");
        }

        yield return new SseItem<object>(
            new CatalogueSummaryEvent
            {
                Total = answered.Sum(a => a.Buffer.Total),
                Facets = RankFusion.SumFacets(answered.Select(a => a.Buffer.Facets)),
                NextCursor = NextCursor(request, nodes, answered, positions),
                Partial = outcomes.Any(o => o.Missing),
                Nodes = [.. outcomes.OrderBy(o => o.NodeId, StringComparer.Ordinal)],
            },
            "summary");
    }

    private static List<NodeCall<NodeFetch>> Calls(CatalogueSearchRequest request, IReadOnlyList<RegisteredNode> nodes, Func<IReadOnlyList<NodePosition>, IReadOnlyList<int>> wants)
    {
        var open = nodes
            .Select(n => (Node: n, From: request.Cursor?.PositionOf(n.NodeId) ?? NodePosition.Start))
            .Where(c => !c.From.Exhausted)
            .ToList();
        var counts = wants([.. open.Select(c => c.From)]);
        return [.. open.Select((c, i) => new NodeCall<NodeFetch>(c.Node, new NodeFetch(c.From, counts[i])))];
    }

    private IAsyncEnumerable<NodeAnswer<NodeFetch, NodeBuffer>> AskAsync(CatalogueQuery query, IReadOnlyList<NodeCall<NodeFetch>> calls, CancellationToken cancellationToken, TimeSpan? within = null)
        => fanOut.AskAsync(calls, (api, call, token) => FetchAsync(api, query, call.State, token), b => b.Total, cancellationToken, within);

    /// <summary>
    /// A node's next <see cref="NodeFetch.Want"/> entries: the node page holding the next entry, asked large enough,
    /// and the page after it when the node pages smaller than asked, so that the merge need not stop short.
    /// </summary>
    private static async Task<NodeBuffer> FetchAsync(IArchiveNodeApi api, CatalogueQuery query, NodeFetch fetch, CancellationToken cancellationToken)
    {
        var (position, want) = fetch;
        var page = await api.SearchCatalogueAsync(query.ForNode(position.Cursor, Math.Min(NodeContract.MaxLimit, position.Offset + want)), cancellationToken);
        var entries = new List<BufferedEntry>();
        AddPage(entries, page, position.Cursor, position.Offset);
        var last = page;
        if (entries.Count < want && page.NextCursor is { } next && next != position.Cursor)
        {
            try
            {
                last = await api.SearchCatalogueAsync(query.ForNode(next, Math.Min(NodeContract.MaxLimit, want - entries.Count)), cancellationToken);
                AddPage(entries, last, next, 0);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                last = page; // the merge stops at this node's last fetched entry; the next page picks up from there
            }
        }

        return new NodeBuffer(entries, last.NextCursor is not null, Math.Max(0, page.Total), page.Facets);

        static void AddPage(List<BufferedEntry> entries, CatalogueSearchResult page, string? cursor, int offset)
        {
            var count = page.Entries.Count;
            for (var i = offset; i < count; i++)
            {
                entries.Add(new BufferedEntry(page.Entries[i], cursor, i, count, page.NextCursor));
            }
        }
    }

    private static string? NextCursor(CatalogueSearchRequest request, IReadOnlyList<RegisteredNode> nodes, List<Answered> answered, Dictionary<string, NodePosition> positions)
    {
        // A next page exists while a node that answered has more. Nodes that failed keep their
        // position, so they join a later page if they recover, but they alone do not keep paging alive.
        if (!answered.Any(a => !positions[a.Node.NodeId].Exhausted))
        {
            return null;
        }

        var all = new Dictionary<string, NodePosition>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            all[node.NodeId] = positions.TryGetValue(node.NodeId, out var p) ? p : request.Cursor?.PositionOf(node.NodeId) ?? NodePosition.Start;
        }

        return new CatalogueCursor(all).Encode(request.Query.Fingerprint);
    }

    private static FederatedCatalogueEntry ToEntry(RegisteredNode node, CatalogueEntry entry, int rank, double score) => new()
    {
        NodeId = node.NodeId,
        NodeNameZh = node.NameZh,
        NodeNameEn = node.NameEn,
        Id = entry.Id,
        Fonds = entry.Fonds,
        ArchivalReference = entry.ArchivalReference,
        Title = entry.Title,
        Year = entry.Year,
        Category = entry.Category,
        Score = Math.Round(score, 6),
        NodeRank = rank,
        NodeScore = entry.Score,
    };
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Archives.Contracts;
using Archives.Gateway.Caching;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Archives.Gateway.Registry;

/// <summary>
/// The registry as YARP currently applies it: one <see cref="RegisteredNode"/> per cluster, with its
/// metadata and the health YARP's active and passive checks report. Reading it from YARP's live
/// state (rather than from the file) means the proxy and the federation always see the same nodes,
/// and a hot reload reaches both at once.
/// </summary>
internal sealed class NodeRegistry(IProxyStateLookup proxyState, ILogger<NodeRegistry> logger)
{
    /// <summary>Selections kept with one node list: enough for every region and common node list; more are computed each time.</summary>
    private const int MaxKeptSelections = 256;

    // Parsed metadata per YARP cluster model: a reload makes new models, so entries follow it.
    private readonly ConditionalWeakTable<ClusterModel, NodeDescription> _descriptions = new();

    private Snapshot? _snapshot;

    /// <summary>Every node, in node id order.</summary>
    /// <remarks>
    /// Every federated search and cached answer asks for it: the sorted list is kept while YARP holds the
    /// same cluster models (a reload that adds, removes or changes a node makes new ones). Health stays live:
    /// a <see cref="RegisteredNode"/> reads its cluster's current state.
    /// </remarks>
    public IReadOnlyList<RegisteredNode> Nodes => Current().Nodes;

    /// <summary>
    /// The nodes within <paramref name="region"/> (all when null) and, when <paramref name="named"/> is not
    /// empty, among those named; in node id order, with a key of the set for cache keys.
    /// </summary>
    /// <remarks>
    /// Kept with the sorted node list for the same region and names: a cached answer for a province is
    /// otherwise a filter over every node, a list and a hash of hundreds of node ids, per hit.
    /// </remarks>
    public NodeSelection Select(RegionPrefix? region, IReadOnlyList<string> named)
    {
        var snapshot = Current();
        var key = region?.Value + "|" + string.Join(',', named);
        if (snapshot.Selections.TryGetValue(key, out var kept))
        {
            return kept;
        }

        var nodes = snapshot.Nodes.Where(n => n.IsWithin(region));
        if (named.Count > 0)
        {
            var set = named.ToHashSet(StringComparer.Ordinal);
            nodes = nodes.Where(n => set.Contains(n.NodeId));
        }

        var selection = NodeSelection.Of([.. nodes]);
        if (snapshot.Selections.Count < MaxKeptSelections)
        {
            snapshot.Selections.TryAdd(key, selection);
        }

        return selection;
    }

    private Snapshot Current()
    {
        if (_snapshot is { } kept && HoldsSameModels(kept.Models))
        {
            return kept;
        }

        // Models first: a change between the two reads leaves models that differ on the next read, which rebuilds.
        var models = proxyState.GetClusters().Select(c => c.Model).ToArray();
        var nodes = proxyState.GetClusters().Select(Describe).OrderBy(n => n.NodeId, StringComparer.Ordinal).ToArray();
        var snapshot = new Snapshot(models, nodes, new ConcurrentDictionary<string, NodeSelection>(StringComparer.Ordinal));
        _snapshot = snapshot;
        return snapshot;
    }

    /// <summary>Whether YARP holds exactly these cluster models, in this order (a walk, no copy).</summary>
    private bool HoldsSameModels(ClusterModel[] models)
    {
        var i = 0;
        foreach (var cluster in proxyState.GetClusters())
        {
            if (i == models.Length || !ReferenceEquals(models[i], cluster.Model))
            {
                return false;
            }

            i++;
        }

        return i == models.Length;
    }

    /// <summary>Finds a node by id.</summary>
    public bool TryGetNode(string nodeId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegisteredNode? node)
    {
        node = proxyState.TryGetCluster(nodeId, out var cluster) ? Describe(cluster) : null;
        return node is not null;
    }

    private sealed record Snapshot(ClusterModel[] Models, RegisteredNode[] Nodes, ConcurrentDictionary<string, NodeSelection> Selections);

    private RegisteredNode Describe(ClusterState cluster)
    {
        var model = cluster.Model;
        var description = _descriptions.GetValue(model, m => NodeDescription.From(m.Config, logger));
        return new RegisteredNode(description, cluster);
    }
}

/// <summary>Some of the registry's nodes, in node id order, and a short key of which they are.</summary>
/// <param name="Nodes">The nodes.</param>
/// <param name="Key">Base64url of 12 bytes of SHA-256 over their ids: the node set in a cache key.</param>
internal sealed record NodeSelection(IReadOnlyList<RegisteredNode> Nodes, string Key)
{
    public static NodeSelection Of(IReadOnlyList<RegisteredNode> nodes) => new(nodes, CacheKeys.Hash(string.Join(',', nodes.Select(n => n.NodeId))));
}

/// <summary>What the registry file says about a node (its cluster metadata).</summary>
internal sealed record NodeDescription(
    string NodeId,
    string NameZh,
    string NameEn,
    DivisionCode? DivisionCode,
    DivisionLevel? Level,
    string? Province,
    IReadOnlyList<RecordCategory> Categories)
{
    public static NodeDescription From(Yarp.ReverseProxy.Configuration.ClusterConfig config, ILogger logger)
    {
        var metadata = config.Metadata ?? new Dictionary<string, string>();
        string? Get(string key) => metadata.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        DivisionCode.TryParse(Get("divisionCode") ?? config.ClusterId, out var division, out _);
        DivisionLevel? level = Get("level") switch
        {
            "province" => DivisionLevel.Province,
            "city" => DivisionLevel.City,
            "county" => DivisionLevel.County,
            _ => division?.Level,
        };

        var categories = new List<RecordCategory>();
        foreach (var code in (Get("categories") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (RecordCategory.TryParse(code, out var category, out _))
            {
                categories.Add(category);
            }
            else
            {
                logger.LogWarning("Registry node {NodeId}: unknown record category '{Category}' in metadata is ignored.", config.ClusterId, code);
            }
        }

        return new NodeDescription(
            config.ClusterId,
            Get("nameZh") ?? config.ClusterId,
            Get("nameEn") ?? config.ClusterId,
            division,
            level,
            Get("province"),
            categories);
    }
}

/// <summary>A node of the registry with its live YARP state.</summary>
internal sealed class RegisteredNode(NodeDescription description, ClusterState cluster)
{
    public NodeDescription Description { get; } = description;

    public string NodeId => Description.NodeId;

    public string NameZh => Description.NameZh;

    public string NameEn => Description.NameEn;

    /// <summary>The destinations (replicas) with their health.</summary>
    public IReadOnlyList<DestinationState> Destinations => cluster.DestinationsState?.AllDestinations ?? [];

    /// <summary>
    /// The destinations not marked down by active or passive health checks. (YARP's own
    /// <c>AvailableDestinations</c> is not used: its default policy, HealthyOrPanic, falls back to
    /// every destination when all are down, while the federation must skip such a node.)
    /// </summary>
    public IReadOnlyList<DestinationState> UsableDestinations
    {
        get
        {
            // Asked on every node call: when every replica is up (nearly always) YARP's own list is the answer, uncopied.
            var all = Destinations;
            for (var i = 0; i < all.Count; i++)
            {
                if (!IsUp(all[i]))
                {
                    return [.. all.Where(IsUp)];
                }
            }

            return all;
        }
    }

    /// <summary>The node's health as a whole.</summary>
    public NodeHealth Health
    {
        get
        {
            var all = Destinations;
            var usable = UsableDestinations;
            if (usable.Count == 0)
            {
                return NodeHealth.Unhealthy;
            }

            if (usable.Count < all.Count)
            {
                return NodeHealth.Degraded;
            }

            return usable.Any(d => d.Health.Active == DestinationHealth.Healthy) ? NodeHealth.Healthy : NodeHealth.Unknown;
        }
    }

    private static bool IsUp(DestinationState destination)
        => destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;

    /// <summary>Whether a region filter includes the node.</summary>
    public bool IsWithin(RegionPrefix? region)
        => region is null || (Description.DivisionCode?.IsWithin(region) ?? NodeId.StartsWith(region.Value, StringComparison.Ordinal));
}

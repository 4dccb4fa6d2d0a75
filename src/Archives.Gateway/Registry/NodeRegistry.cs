using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Archives.Contracts;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Archives.Gateway.Registry;

/// <summary>
/// The registry as YARP currently applies it, with the health its checks report: read from YARP's live state
/// rather than from the file, so that the proxy and the federation always see the same nodes.
/// </summary>
internal sealed class NodeRegistry(IProxyStateLookup proxyState, ILogger<NodeRegistry> logger)
{
    /// <summary>Selections kept with one node list: enough for every region and common node list; more are computed each time.</summary>
    private const int MaxKeptSelections = 256;

    // Parsed metadata per YARP cluster model: a reload makes new models, so entries follow it.
    private readonly ConditionalWeakTable<ClusterModel, NodeDescription> _descriptions = new();

    private Snapshot? _snapshot;

    /// <summary>
    /// Every node, in node id order: kept while YARP holds the same cluster models (a reload that changes a node makes
    /// new ones), since every search and cache hit asks. Health stays live: a node reads its cluster's current state.
    /// </summary>
    public IReadOnlyList<RegisteredNode> Nodes => Current().Nodes;

    /// <summary>
    /// The nodes within <paramref name="region"/> (all when null) and among <paramref name="named"/> (when any), kept
    /// with the node list: a cache hit for a province would otherwise filter and hash hundreds of node ids.
    /// </summary>
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

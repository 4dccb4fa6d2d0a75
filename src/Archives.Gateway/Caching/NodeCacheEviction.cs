using System.Collections.Concurrent;
using Archives.Gateway.Registry;
using Yarp.ReverseProxy.Model;
using ZiggyCreatures.Caching.Fusion;

namespace Archives.Gateway.Caching;

/// <summary>
/// Evicts every cached answer built from one node's data (清除节点缓存), on every gateway instance through the
/// backplane: when an operator asks, and when a registry reload changes or removes the node (YARP tells its
/// <see cref="IClusterChangeListener"/>s). Its old answers must not be served for the rest of their duration; a
/// change of which nodes a region covers needs no eviction, since catalogue keys name their node set.
/// </summary>
internal sealed class NodeCacheEviction(IFusionCache cache, ILogger<NodeCacheEviction> logger) : IClusterChangeListener
{
    // What the registry said about each node when last applied: a change that moves a node to another division
    // code must evict the entries of its old province group as well as of its new one.
    private readonly ConcurrentDictionary<string, NodeDescription> _known = new(StringComparer.Ordinal);

    public Task EvictAsync(NodeDescription node, CancellationToken cancellationToken) => EvictAsync(CacheKeys.EvictionTags(node), cancellationToken);

    private async Task EvictAsync(IEnumerable<string> tags, CancellationToken cancellationToken)
    {
        foreach (var tag in tags)
        {
            await cache.RemoveByTagAsync(tag, token: cancellationToken);
        }
    }

    void IClusterChangeListener.OnClusterAdded(ClusterState cluster) => _known[cluster.ClusterId] = Describe(cluster);

    void IClusterChangeListener.OnClusterChanged(ClusterState cluster)
    {
        var now = Describe(cluster);
        var before = _known.TryGetValue(cluster.ClusterId, out var known) ? known : now;
        _known[cluster.ClusterId] = now;
        EvictInBackground(cluster.ClusterId, CacheKeys.EvictionTags(before).Union(CacheKeys.EvictionTags(now), StringComparer.Ordinal), "changed");
    }

    void IClusterChangeListener.OnClusterRemoved(ClusterState cluster)
        => EvictInBackground(cluster.ClusterId, CacheKeys.EvictionTags(_known.TryRemove(cluster.ClusterId, out var known) ? known : Describe(cluster)), "removed");

    private NodeDescription Describe(ClusterState cluster) => NodeDescription.From(cluster.Model.Config, logger);

    // YARP applies a reload on the thread that calls the listeners; the eviction (Redis, the backplane) must not hold it.
    private void EvictInBackground(string nodeId, IEnumerable<string> tags, string change) => _ = Task.Run(async () =>
    {
        try
        {
            await EvictAsync(tags, CancellationToken.None);
            logger.LogInformation("Registry reload {Change} node {NodeId}: its cached answers are evicted.", change, nodeId);
        }
        catch (Exception e)
        {
            // The cache logs and skips Redis failures itself (ReThrow… off); this is anything else.
            logger.LogWarning(e, "Registry reload {Change} node {NodeId}: evicting its cached answers failed; they expire with their duration.", change, nodeId);
        }
    });
}

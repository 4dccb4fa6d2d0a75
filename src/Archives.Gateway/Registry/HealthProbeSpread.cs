using System.IO.Hashing;
using System.Text;
using Yarp.ReverseProxy.Configuration;

namespace Archives.Gateway.Registry;

/// <summary>
/// Spreads the nodes' active health probes over time: each node's probe interval is the registry's,
/// stretched by a fraction of up to <see cref="MaxStretch"/> that is fixed per node id.
/// </summary>
/// <remarks>
/// YARP gives every cluster its own probe timer, and the registry loads every cluster at once, so with
/// one interval for all (as operators write it) the probes of every node fired together: 400 nodes were
/// 400 probes within ~150 ms every interval, and a search or cache hit that met the burst waited behind
/// it. With periods that differ by node the probes drift apart after a few intervals and stay apart. A
/// node's period never gets shorter than configured, and is the same after every reload, so "unhealthy
/// within an interval" becomes "within 1.2 intervals". Why a config filter: it is YARP's own way to
/// adjust a cluster as it loads, and the registry file stays as operators write it.
/// </remarks>
internal sealed class HealthProbeSpread : IProxyConfigFilter
{
    /// <summary>The largest stretch of an interval, as a fraction of it.</summary>
    public const double MaxStretch = 0.2;

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        if (cluster.HealthCheck?.Active is not { Enabled: true, Interval: { } interval } active)
        {
            return ValueTask.FromResult(cluster);
        }

        var spread = interval * (1 + StretchOf(cluster.ClusterId));
        return ValueTask.FromResult(cluster with { HealthCheck = cluster.HealthCheck with { Active = active with { Interval = spread } } });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) => ValueTask.FromResult(route);

    /// <summary>A node's stretch, from 0 up to (not including) <see cref="MaxStretch"/>: the same for the same node id, every time.</summary>
    public static double StretchOf(string nodeId)
        => XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(nodeId)) / (uint.MaxValue + 1.0) * MaxStretch;
}

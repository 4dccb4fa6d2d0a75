using System.IO.Hashing;
using System.Text;
using Yarp.ReverseProxy.Configuration;

namespace Archives.Gateway.Registry;

/// <summary>
/// Spreads the nodes' active health probes over time: each node's probe interval is the registry's,
/// stretched by a fraction of up to <see cref="MaxStretch"/> that is fixed per node id.
/// </summary>
/// <remarks>
/// YARP gives every cluster its own probe timer and the registry loads them all at once, so with one interval for
/// all the probes of every node fire together (400 probes within ~150 ms), and a search that meets the burst waits
/// behind it. Periods that differ by node drift apart and stay apart. A period is never shorter than configured
/// and the same after every reload, so "unhealthy within an interval" becomes "within 1.2 intervals". A config
/// filter, so that the registry file stays as operators write it.
/// </remarks>
internal sealed class HealthProbeSpread : IProxyConfigFilter
{
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

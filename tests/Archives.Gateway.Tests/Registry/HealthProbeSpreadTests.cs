using Archives.Gateway.Registry;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;

namespace Archives.Gateway.Tests.Registry;

/// <summary>Nodes' active health probes are spread over time rather than fired together.</summary>
public sealed class HealthProbeSpreadTests
{
    [Fact]
    public async Task EachNodesProbeInterval_IsTheRegistrysStretchedByItsOwnFixedFraction()
    {
        var interval = TimeSpan.FromSeconds(10);
        var nodes = new List<TestNode>();
        try
        {
            foreach (var id in new[] { "330100", "330200", "330300", "330400", "330500", "330600" })
            {
                nodes.Add(await TestNode.StartAsync(id));
            }

            await using var gateway = GatewayHost.Start(nodes.Select(n => new RegistryEntry(n) { ActiveHealthInterval = interval }));

            var proxy = gateway.Services.GetRequiredService<IProxyStateLookup>();
            var effective = nodes.ToDictionary(
                n => n.NodeId,
                n => Assert.IsType<TimeSpan>(proxy.TryGetCluster(n.NodeId, out var cluster) ? cluster.Model.Config.HealthCheck?.Active?.Interval : null));

            foreach (var (nodeId, period) in effective)
            {
                Assert.InRange(period, interval, interval * (1 + HealthProbeSpread.MaxStretch));
                Assert.Equal(interval * (1 + HealthProbeSpread.StretchOf(nodeId)), period);
            }

            // Different nodes, different periods: their probes drift apart instead of firing together.
            Assert.True(effective.Values.Distinct().Count() >= 5);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ClusterWithoutActiveProbes_IsLeftAsItIs()
    {
        var cluster = new Yarp.ReverseProxy.Configuration.ClusterConfig { ClusterId = "330100" };

        Assert.Same(cluster, await new HealthProbeSpread().ConfigureClusterAsync(cluster, Ct));
    }
}

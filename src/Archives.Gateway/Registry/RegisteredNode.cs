using Archives.Contracts;
using Yarp.ReverseProxy.Model;

namespace Archives.Gateway.Registry;

/// <summary>A node of the registry with its live YARP state.</summary>
internal sealed class RegisteredNode(NodeDescription description, ClusterState cluster)
{
    public NodeDescription Description { get; } = description;

    public string NodeId => Description.NodeId;

    public string NameZh => Description.NameZh;

    public string NameEn => Description.NameEn;

    public IReadOnlyList<DestinationState> Destinations => cluster.DestinationsState?.AllDestinations ?? [];

    /// <summary>
    /// The destinations not marked down by active or passive health checks; not YARP's <c>AvailableDestinations</c>,
    /// whose default policy falls back to every destination when all are down, where the federation must skip the node.
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

    public bool IsWithin(RegionPrefix? region)
        => region is null || (Description.DivisionCode?.IsWithin(region) ?? NodeId.StartsWith(region.Value, StringComparison.Ordinal));
}

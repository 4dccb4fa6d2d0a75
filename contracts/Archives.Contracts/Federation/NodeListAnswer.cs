using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>The registry as the gateway sees it, <c>GET /api/v1/nodes</c>.</summary>
public sealed record NodeListAnswer
{
    /// <summary>Every registered archive node, with its health.</summary>
    public required IReadOnlyList<NodeView> Nodes { get; init; }
}

/// <summary>One registered archive node (档案馆) as the gateway sees it.</summary>
public sealed record NodeView
{
    /// <summary>The node's id in the registry (by convention its division code).</summary>
    public required string NodeId { get; init; }

    /// <summary>The archive's Chinese name.</summary>
    public required string NameZh { get; init; }

    /// <summary>The archive's English name.</summary>
    public required string NameEn { get; init; }

    /// <summary>The GB/T 2260 division code the archive serves.</summary>
    public string? DivisionCode { get; init; }

    /// <summary>Province, city or county archive.</summary>
    public DivisionLevel? Level { get; init; }

    /// <summary>The province, in English (Zhejiang, Shanghai, Jiangsu, Anhui).</summary>
    public string? Province { get; init; }

    /// <summary>The personal-record categories the archive holds (codes of <see cref="RecordCategory"/>).</summary>
    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>The node's health from the gateway's probes and traffic.</summary>
    public required NodeHealth Health { get; init; }

    /// <summary>The node's replicas, by name (addresses are internal and not shown).</summary>
    public required IReadOnlyList<DestinationView> Destinations { get; init; }
}

/// <summary>One replica of a node.</summary>
public sealed record DestinationView
{
    /// <summary>The replica's name in the registry.</summary>
    public required string Name { get; init; }

    /// <summary>The last active probe: healthy, unhealthy or unknown.</summary>
    public required string Active { get; init; }

    /// <summary>Passive health from proxied traffic: healthy, unhealthy or unknown.</summary>
    public required string Passive { get; init; }
}

/// <summary>One node with its own <c>/node/v1/info</c>, <c>GET /api/v1/nodes/{nodeId}</c>.</summary>
public sealed record NodeDetailAnswer
{
    /// <summary>The node as the registry describes it.</summary>
    public required NodeView Node { get; init; }

    /// <summary>What became of asking the node for its info.</summary>
    public required NodeStatus InfoStatus { get; init; }

    /// <summary>The node's own description, when it answered.</summary>
    public NodeInfo? Info { get; init; }
}

/// <summary>A node's health as the gateway sees it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeHealth>))]
public enum NodeHealth
{
    /// <summary>Not probed yet (or health checks are off); requests are still sent.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,

    /// <summary>Every destination is available and at least one passed an active probe.</summary>
    [JsonStringEnumMemberName("healthy")]
    Healthy,

    /// <summary>Some replicas are down; the others serve.</summary>
    [JsonStringEnumMemberName("degraded")]
    Degraded,

    /// <summary>No destination is available: the federation skips the node.</summary>
    [JsonStringEnumMemberName("unhealthy")]
    Unhealthy,
}

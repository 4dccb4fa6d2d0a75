using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>What became of one node (archive) in a federated search (联合检索中各馆的结果).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeStatus>))]
public enum NodeStatus
{
    /// <summary>The node answered.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>The node did not answer within the deadline (or its attempt timeout).</summary>
    [JsonStringEnumMemberName("timeout")]
    Timeout,

    /// <summary>The node answered with an error, garbage, or too large a body, or could not be reached.</summary>
    [JsonStringEnumMemberName("error")]
    Error,

    /// <summary>Health checks mark every destination of the node down; it was not asked.</summary>
    [JsonStringEnumMemberName("unhealthy")]
    Unhealthy,

    /// <summary>The node failed repeatedly; its circuit is open and it was not asked.</summary>
    [JsonStringEnumMemberName("circuit-open")]
    CircuitOpen,

    /// <summary>The node holds none of the categories searched, or lies outside the caller's agreement; it was not asked.</summary>
    [JsonStringEnumMemberName("not-applicable")]
    NotApplicable,
}

/// <summary>One node's part in a federated answer: its status, latency and hit count.</summary>
public sealed record NodeOutcome
{
    /// <summary>The node's id in the registry (by convention its division code, <c>330100</c>).</summary>
    public required string NodeId { get; init; }

    /// <summary>The archive's Chinese name (杭州市档案馆).</summary>
    public required string NameZh { get; init; }

    /// <summary>The archive's English name (Hangzhou Municipal Archives).</summary>
    public required string NameEn { get; init; }

    /// <summary>What became of the node.</summary>
    public required NodeStatus Status { get; init; }

    /// <summary>Milliseconds from the call to the answer (or to giving up); 0 for nodes not asked.</summary>
    public required long LatencyMs { get; init; }

    /// <summary>How many hits the node reported: matching catalogue entries in all, or records found.</summary>
    public required long HitCount { get; init; }

    /// <summary>Whether this status means the node should have answered and did not.</summary>
    [JsonIgnore]
    public bool Missing => Status is NodeStatus.Timeout or NodeStatus.Error or NodeStatus.Unhealthy or NodeStatus.CircuitOpen;
}

using Archives.Contracts;

namespace Archives.Gateway.Federation;

/// <summary>A node's info as cached: what became of asking, and the answer.</summary>
public sealed record NodeInfoAnswer
{
    public required NodeStatus Status { get; init; }

    public NodeInfo? Info { get; init; }
}

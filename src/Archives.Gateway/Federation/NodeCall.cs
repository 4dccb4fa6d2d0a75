using Archives.Contracts;
using Archives.Gateway.Registry;

namespace Archives.Gateway.Federation;

/// <summary>One node to consult, or a node settled without a call (<see cref="Settled"/>).</summary>
internal sealed record NodeCall<TState>(RegisteredNode Node, TState State, NodeStatus? Settled = null);

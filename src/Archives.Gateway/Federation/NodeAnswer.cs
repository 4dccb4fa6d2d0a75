using Archives.Contracts;

namespace Archives.Gateway.Federation;

/// <summary>A node's answer: its outcome, and its value when <see cref="NodeOutcome.Status"/> is ok.</summary>
internal sealed record NodeAnswer<TState, TValue>(NodeCall<TState> Call, NodeOutcome Outcome, TValue? Value);

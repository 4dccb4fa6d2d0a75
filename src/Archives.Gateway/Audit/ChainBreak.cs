namespace Archives.Gateway.Audit;

/// <summary>The first broken entry.</summary>
internal sealed record ChainBreak(long Sequence, ChainProblem Problem, string Detail);

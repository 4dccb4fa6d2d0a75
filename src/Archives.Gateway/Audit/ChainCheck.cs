namespace Archives.Gateway.Audit;

/// <summary>The result of checking the chain: intact (with its head), or the first broken entry.</summary>
internal sealed record ChainCheck(bool Ok, long EntriesChecked, ChainHead? Head, ChainBreak? FirstBroken)
{
    public static ChainCheck Intact(long count, ChainHead? head) => new(true, count, head, null);

    public static ChainCheck Broken(long count, long sequence, ChainProblem problem, string detail) => new(false, count, null, new ChainBreak(sequence, problem, detail));
}

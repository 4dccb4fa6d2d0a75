namespace Archives.Gateway.Federation;

/// <summary>Where one node's result list stands between federated pages.</summary>
/// <param name="Cursor">The node's own cursor of the node page that holds the next entry; null for its first page.</param>
/// <param name="Offset">How many entries of that node page were already returned.</param>
/// <param name="Rank">How many of the node's entries were already returned in all (the next entry's rank is <c>Rank + 1</c>).</param>
/// <param name="Exhausted">The node has nothing more for this query.</param>
internal sealed record NodePosition(string? Cursor, int Offset, int Rank, bool Exhausted)
{
    public static readonly NodePosition Start = new(null, 0, 0, false);
}

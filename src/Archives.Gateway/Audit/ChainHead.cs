namespace Archives.Gateway.Audit;

/// <summary>The last entry of an intact chain. Note: the chain cannot show that entries were cut off its end; compare the head with one recorded earlier.</summary>
internal sealed record ChainHead(long Sequence, string Hash);

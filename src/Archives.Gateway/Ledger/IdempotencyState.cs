namespace Archives.Gateway.Ledger;

/// <summary>The state of an idempotency key.</summary>
internal enum IdempotencyState
{
    /// <summary>An instance holds the key (until its lease runs out) and is issuing.</summary>
    Pending = 0,

    /// <summary>The certificate is written; the key replays it.</summary>
    Completed = 1,
}

namespace Archives.Gateway.Ledger;

/// <summary>
/// The ledger's database did not take a group of writes: the connection broke (a PostgreSQL restart), the
/// disk is full, the commit failed. Answered 503 with <c>Retry-After</c> (<see cref="LedgerUnavailableHandler"/>);
/// the writer opens a new connection for the next group. A piece of work that fails on its own (its savepoint
/// rolled back, the group committed) fails with its own exception instead.
/// </summary>
internal sealed class LedgerUnavailableException(Exception inner)
    : Exception("The certificate ledger's database did not take the write.", inner);

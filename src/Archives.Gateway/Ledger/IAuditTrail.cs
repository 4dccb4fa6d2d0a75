namespace Archives.Gateway.Ledger;

/// <summary>
/// The audit log (档案利用登记) as the features that register in it see it: the Audit feature keeps the chain,
/// the features that act on personal records (certificates, record search) only append. Both calls throw
/// <see cref="AuditUnavailableException"/> when the action cannot be registered; the caller then does not serve
/// what it was registering, since every read of personal data must be registered.
/// </summary>
internal interface IAuditTrail
{
    /// <summary>Registers an action in a ledger write of its own and returns the entry once committed. Not cancellable: a read that happened is registered even if its caller went away.</summary>
    Task<AuditEntry> AppendAsync(AuditRecord record);

    /// <summary>Registers actions, in order, within <paramref name="batch"/>'s transaction: they commit with the rest of that piece of work, or not at all.</summary>
    Task<IReadOnlyList<AuditEntry>> AppendAsync(LedgerBatch batch, params IReadOnlyList<AuditRecord> records);
}

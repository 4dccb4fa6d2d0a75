using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Ledger;

/// <summary>
/// The idempotency protocol's statements on <c>idempotency_keys</c>, the arbiter of which request issues: its
/// primary key on (client, key) lets one insert win whatever the number of instances, and every later change is
/// a compare-and-set on the holder's lease token. Plain SQL on the writer's transaction (<see cref="LedgerBatch.Sql"/>);
/// <c>ON CONFLICT DO NOTHING</c> rather than a failed insert, since on PostgreSQL an error aborts the transaction.
/// </summary>
internal sealed class IdempotencyStore(TimeProvider time, ILogger<IdempotencyStore> logger)
{
    private const int Attempts = 4;

    /// <summary>
    /// Inserts a pending row for the key, or reads who holds it: a key whose holder's lease ran out (its instance
    /// crashed or stalls) is taken over by compare-and-set on the old token.
    /// </summary>
    public async Task<IdempotencyClaim> ClaimAsync(LedgerBatch batch, string clientId, string key, string fingerprint, TimeSpan lease)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var token = Guid.NewGuid();
            var inserted = await batch.Sql("""
                INSERT INTO idempotency_keys ("ClientId", "Key", "Fingerprint", "State", "LeaseToken", "LeaseExpiresAt", "CreatedAt")
                VALUES (@client, @key, @fingerprint, @pending, @token, @leaseUntil, @now)
                ON CONFLICT DO NOTHING
                """).With("client", clientId).With("key", key).With("fingerprint", fingerprint).With("pending", (int)IdempotencyState.Pending)
                .With("token", token).With("leaseUntil", now + lease).With("now", now)
                .ExecuteAsync();
            if (inserted == 1)
            {
                return new IdempotencyClaim.Won(token, await CertificateRows.OfKeyAsync(batch, clientId, key));
            }

            var existing = await batch.Sql("""
                SELECT "Fingerprint", "State", "CertificateNumber", "LeaseToken", "LeaseExpiresAt" FROM idempotency_keys
                WHERE "ClientId" = @client AND "Key" = @key
                """).With("client", clientId).With("key", key)
                .FirstAsync(r => new KeyRow(
                    r.GetString(0), (IdempotencyState)r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetFieldValue<Guid>(3), r.GetFieldValue<DateTime>(4)));
            switch (existing)
            {
                case null:
                    continue; // released between the insert and the read
                case { } row when row.Fingerprint != fingerprint:
                    return new IdempotencyClaim.Mismatch();
                case { State: IdempotencyState.Completed } row:
                    return new IdempotencyClaim.Done(row.CertificateNumber!);
                case { } row when row.LeaseExpiresAt > now:
                    return new IdempotencyClaim.Busy(row.LeaseExpiresAt - now < TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2));
            }

            var takenOver = await batch.Sql("""
                UPDATE idempotency_keys SET "LeaseToken" = @token, "LeaseExpiresAt" = @leaseUntil
                WHERE "ClientId" = @client AND "Key" = @key AND "LeaseToken" = @heldBy AND "State" = @pending
                """).With("token", token).With("leaseUntil", now + lease).With("client", clientId).With("key", key)
                .With("heldBy", existing.LeaseToken).With("pending", (int)IdempotencyState.Pending)
                .ExecuteAsync();
            if (takenOver == 1)
            {
                logger.LogWarning("Idempotency key of client {ClientId} taken over after its lease expired (an instance crashed or stalled).", clientId);
                return new IdempotencyClaim.Won(token, await CertificateRows.OfKeyAsync(batch, clientId, key));
            }
        }

        // Another instance took the key each time: it holds it now.
        return new IdempotencyClaim.Busy(TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Whether the lease of <paramref name="leaseToken"/> still holds the key, confirmed by a write that changes
    /// nothing: from here to the commit no other instance can take the key over (PostgreSQL keeps the row locked;
    /// SQLite's writer holds the file's write lock).
    /// </summary>
    public async Task<bool> HoldsAsync(LedgerBatch batch, string clientId, string key, Guid leaseToken)
        => await batch.Sql("""
            UPDATE idempotency_keys SET "LeaseToken" = @token
            WHERE "ClientId" = @client AND "Key" = @key AND "LeaseToken" = @token AND "State" = @pending
            """).With("token", leaseToken).With("client", clientId).With("key", key).With("pending", (int)IdempotencyState.Pending)
            .ExecuteAsync() == 1;

    /// <summary>
    /// Completes the key with its certificate (compare-and-set on the lease token; false when another instance holds
    /// the key now). <paramref name="fingerprint"/>: the certificate's own, when it was issued for an earlier row of the key.
    /// </summary>
    public async Task<bool> CompleteAsync(LedgerBatch batch, string clientId, string key, Guid leaseToken, string certificateNumber, DateTime completedAt, string? fingerprint = null)
        => await batch.Sql("""
            UPDATE idempotency_keys SET "State" = @completed, "CompletedAt" = @completedAt, "CertificateNumber" = @number,
                "Fingerprint" = COALESCE(@fingerprint, "Fingerprint")
            WHERE "ClientId" = @client AND "Key" = @key AND "LeaseToken" = @token AND "State" = @pending
            """).With("completed", (int)IdempotencyState.Completed).With("completedAt", completedAt).With("number", certificateNumber).With("fingerprint", fingerprint)
            .With("client", clientId).With("key", key).With("token", leaseToken).With("pending", (int)IdempotencyState.Pending)
            .ExecuteAsync() == 1;

    /// <summary>Frees the key for a retry: nothing was issued with it. False when this lease no longer holds it.</summary>
    public async Task<bool> ReleaseAsync(LedgerBatch batch, string clientId, string key, Guid leaseToken)
        => await batch.Sql("""
            DELETE FROM idempotency_keys WHERE "ClientId" = @client AND "Key" = @key AND "LeaseToken" = @token AND "State" = @pending
            """).With("client", clientId).With("key", key).With("token", leaseToken).With("pending", (int)IdempotencyState.Pending)
            .ExecuteAsync() == 1;

    /// <summary>
    /// Deletes the completed keys made before <paramref name="cutoff"/>, and pending ones abandoned since then. The
    /// certificate keeps its key (unique index), so a purged key still replays or refuses another body.
    /// </summary>
    public static Task<int> PurgeAsync(LedgerDatabase db, DateTime cutoff, CancellationToken cancellationToken)
        => db.IdempotencyKeys.Where(k => k.CreatedAt < cutoff && (k.State == IdempotencyState.Completed || k.LeaseExpiresAt < cutoff))
            .ExecuteDeleteAsync(cancellationToken);

    /// <summary>The idempotency row as a claim reads it.</summary>
    private sealed record KeyRow(string Fingerprint, IdempotencyState State, string? CertificateNumber, Guid LeaseToken, DateTime LeaseExpiresAt);
}

using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Ledger;

/// <summary>The statements on <c>certificates</c> that every issue makes, in plain SQL on the writer's transaction (<see cref="LedgerBatch.Sql"/>).</summary>
internal static class CertificateRows
{
    /// <summary>
    /// Inserts a new certificate (revocation and prints start empty). False on a unique conflict: its number is
    /// taken, or its client's idempotency key already names a certificate.
    /// </summary>
    public static async Task<bool> InsertAsync(LedgerBatch batch, CertificateEntry entry)
        => await batch.Sql("""
            INSERT INTO certificates ("Number", "ClientId", "IdempotencyKey", "Fingerprint", "Hall", "ClerkId", "NodeId", "VerificationCode",
                "PayloadJson", "Jws", "KeyId", "IssuedAt", "ExpiresAt", "PrintCount")
            VALUES (@number, @client, @key, @fingerprint, @hall, @clerk, @node, @code, @payload, @jws, @kid, @issuedAt, @expiresAt, 0)
            ON CONFLICT DO NOTHING
            """).With("number", entry.Number).With("client", entry.ClientId).With("key", entry.IdempotencyKey).With("fingerprint", entry.Fingerprint)
            .With("hall", entry.Hall).With("clerk", entry.ClerkId).With("node", entry.NodeId).With("code", entry.VerificationCode)
            .With("payload", entry.PayloadJson).With("jws", entry.Jws).With("kid", entry.KeyId).With("issuedAt", entry.IssuedAt).With("expiresAt", entry.ExpiresAt)
            .ExecuteAsync() == 1;

    /// <summary>The certificate a client's idempotency key issued, if any.</summary>
    public static async Task<CertificateEntry?> OfKeyAsync(LedgerBatch batch, string clientId, string key)
    {
        var exists = await batch.Sql("""SELECT 1 FROM certificates WHERE "ClientId" = @client AND "IdempotencyKey" = @key""")
            .With("client", clientId).With("key", key).FirstAsync(r => true);
        return !exists ? null : await batch.Ledger.Certificates.AsNoTracking().SingleAsync(c => c.ClientId == clientId && c.IdempotencyKey == key);
    }
}

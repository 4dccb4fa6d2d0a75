using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Certificates;

/// <summary>
/// Issues certificates at most once per (client, idempotency key), across retries, crashes and instances:
/// claim → decide → sign → commit.
/// <list type="number">
/// <item><b>Claim</b> the key in a write of its own (<see cref="IdempotencyStore"/>): one insert wins; the others
/// answer 422 (another body), 409 (still pending) or replay (completed).</item>
/// <item><b>Decide</b> by the rules (<see cref="IssueDecider"/>: node, coverage, evidence, match, signing key).</item>
/// <item><b>Sign</b> the certificate (<see cref="CertificateDraft"/>) outside any transaction.</item>
/// <item><b>Commit</b> in ONE transaction: confirm the lease still holds the key, insert the certificate, complete
/// the key and register the evidence read and the issue — all of it, or none. A refusal releases the key instead, so
/// the same key can be retried.</item>
/// </list>
/// A pending key whose lease ran out (its instance crashed or stalled) is taken over by another request; the stalled
/// one then finds its lease lost at commit and answers from what the new holder did, so a crash anywhere converges
/// on one certificate. Every write goes through the <see cref="LedgerWriter"/>, which commits concurrent requests'
/// writes together: an issue costs two commits (claim, certificate), shared with whoever else writes then.
/// </summary>
internal sealed class CertificateIssuance(
    LedgerWriter writer,
    IDbContextFactory<LedgerDatabase> ledgers,
    IdempotencyStore idempotency,
    IssueDecider decider,
    ICertificateAudit audit,
    TimeProvider time,
    IOptions<CertificateOptions> options,
    ILogger<CertificateIssuance> logger)
{
    /// <summary>Claims after which a key still held by others is answered 409.</summary>
    private const int Rounds = 3;

    public async Task<IssueOutcome> IssueAsync(Caller caller, string idempotencyKey, CertificateRequest request, CancellationToken cancellationToken)
    {
        var fingerprint = Fingerprint(request);
        for (var round = 0; round < Rounds; round++)
        {
            var claim = await writer.WriteAsync(batch => idempotency.ClaimAsync(batch, caller.ClientId, idempotencyKey, fingerprint, options.Value.IdempotencyLease));
            if (claim is not IdempotencyClaim.Won won)
            {
                return await RegisteredAsync(caller, request, await AnswerAsync(claim, fingerprint, cancellationToken));
            }

            if (await IssueHoldingKeyAsync(caller, idempotencyKey, fingerprint, won, request, cancellationToken) is Settlement.Answered answered)
            {
                return answered.Outcome;
            }

            // The lease was lost to another instance while this one stalled: the key's row now says what to answer.
            logger.LogWarning("Lost the idempotency lease of client {ClientId} before writing; answering from the ledger.", caller.ClientId);
        }

        return await RegisteredAsync(caller, request, new IssueOutcome.InProgress(TimeSpan.FromSeconds(1)));
    }

    /// <summary>
    /// SHA-256 of the request as the gateway understood it (canonical JSON of the parsed, trimmed body), so white
    /// space and property order do not make a retry "another body". The body holds the subject's ID number; the
    /// hash is kept in the ledger, whose readers may read the certificates anyway.
    /// </summary>
    public static string Fingerprint(CertificateRequest request)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, CertificateSigner.PayloadJson))));

    /// <summary>How a request holding the key ended: answered, or its lease lost to another instance before it wrote.</summary>
    private abstract record Settlement
    {
        public sealed record Answered(IssueOutcome Outcome) : Settlement;

        public sealed record LeaseLost : Settlement;
    }

    private async Task<IssueOutcome> AnswerAsync(IdempotencyClaim claim, string fingerprint, CancellationToken cancellationToken) => claim switch
    {
        IdempotencyClaim.Mismatch => new IssueOutcome.KeyReused(),
        IdempotencyClaim.Busy busy => new IssueOutcome.InProgress(busy.RetryAfter),
        IdempotencyClaim.Done done => await ReplayAsync(done.CertificateNumber, fingerprint, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(claim), claim, "A won claim is issued, not answered."),
    };

    private async Task<Settlement> IssueHoldingKeyAsync(
        Caller caller, string key, string fingerprint, IdempotencyClaim.Won claim, CertificateRequest request, CancellationToken cancellationToken)
    {
        try
        {
            if (claim.Prior is { } prior)
            {
                return await writer.WriteAsync(batch => CompleteWithPriorAsync(batch, caller, request, key, claim.LeaseToken, prior, fingerprint, recordRead: null));
            }

            switch (await decider.DecideAsync(caller, request, cancellationToken))
            {
                case IssueDecision.Refuse refusal:
                    return await writer.WriteAsync(batch => RefuseAsync(batch, caller, request, key, claim.LeaseToken, refusal));
                case IssueDecision.Issue issue:
                    // Signed before the write, so the writer's transaction holds no signing.
                    var signed = Sign(caller, key, fingerprint, request, issue);
                    return await writer.WriteAsync(batch => CommitAsync(batch, caller, request, key, fingerprint, claim.LeaseToken, issue, signed));
                case var decision:
                    throw new ArgumentOutOfRangeException(nameof(decision), decision, null);
            }
        }
        catch
        {
            // Nothing was issued (the node failed, the caller went away, the ledger did not take the write): free the
            // key for a retry. A certificate that did commit completed the key, which a release leaves alone; after a
            // crash the lease's expiry frees the key instead.
            await writer.WriteAsync(batch => idempotency.ReleaseAsync(batch, caller.ClientId, key, claim.LeaseToken));
            throw;
        }
    }

    /// <summary>In the writer's transaction: the certificate, the completed key and their audit entries.</summary>
    private async Task<Settlement> CommitAsync(
        LedgerBatch batch, Caller caller, CertificateRequest request, string key, string fingerprint, Guid leaseToken, IssueDecision.Issue decision, SignedCertificate signed)
    {
        if (!await idempotency.HoldsAsync(batch, caller.ClientId, key, leaseToken))
        {
            // Another instance holds the key now and decides the answer; the node was asked all the same.
            await audit.RecordAsync(batch, decision.RecordRead);
            return new Settlement.LeaseLost();
        }

        for (var attempt = 1; !await CertificateRows.InsertAsync(batch, signed.Entry); attempt++)
        {
            if (await CertificateRows.OfKeyAsync(batch, caller.ClientId, key) is { } prior)
            {
                return await CompleteWithPriorAsync(batch, caller, request, key, leaseToken, prior, fingerprint, decision.RecordRead);
            }

            // A number collision (one in 8.9·10^8 a day per archive): a new number.
            if (attempt == 3)
            {
                throw new InvalidOperationException("No free certificate number after three tries.");
            }

            signed = Sign(caller, key, fingerprint, request, decision);
        }

        await idempotency.CompleteAsync(batch, caller.ClientId, key, leaseToken, signed.Entry.Number, signed.Entry.IssuedAt);
        var issued = new IssueOutcome.Issued(CertificateView.Of(signed.Entry, time.GetUtcNow(), signed.Certificate), Replayed: false);
        await audit.RecordAsync(batch, decision.RecordRead, CertificateAuditEvent.Of(caller, request, issued));
        return new Settlement.Answered(issued);
    }

    private SignedCertificate Sign(Caller caller, string key, string fingerprint, CertificateRequest request, IssueDecision.Issue decision)
        => CertificateDraft.Sign(caller, key, fingerprint, request, decision, time.GetUtcNow(), options.Value.Validity);

    /// <summary>In the writer's transaction: release the key and register the evidence read (if the node was asked) and the refusal.</summary>
    private async Task<Settlement> RefuseAsync(LedgerBatch batch, Caller caller, CertificateRequest request, string key, Guid leaseToken, IssueDecision.Refuse refusal)
    {
        await idempotency.ReleaseAsync(batch, caller.ClientId, key, leaseToken);
        await audit.RecordAsync(batch, [.. Registered(refusal.RecordRead), CertificateAuditEvent.Of(caller, request, refusal.Outcome)]);
        return new Settlement.Answered(refusal.Outcome);
    }

    /// <summary>In the writer's transaction: the key's certificate exists already; complete the key with it and answer it (or 422).</summary>
    private async Task<Settlement> CompleteWithPriorAsync(
        LedgerBatch batch, Caller caller, CertificateRequest request, string key, Guid leaseToken, CertificateEntry prior, string fingerprint, CertificateAuditEvent? recordRead)
    {
        await idempotency.CompleteAsync(batch, caller.ClientId, key, leaseToken, prior.Number, time.GetUtcNow().UtcDateTime, prior.Fingerprint);
        IssueOutcome outcome = prior.Fingerprint == fingerprint
            ? new IssueOutcome.Issued(CertificateView.Of(prior, time.GetUtcNow()), Replayed: true)
            : new IssueOutcome.KeyReused();
        await audit.RecordAsync(batch, [.. Registered(recordRead), CertificateAuditEvent.Of(caller, request, outcome)]);
        return new Settlement.Answered(outcome);
    }

    private static IEnumerable<CertificateAuditEvent> Registered(CertificateAuditEvent? recordRead) => recordRead is null ? [] : [recordRead];

    private async Task<IssueOutcome> ReplayAsync(string number, string fingerprint, CancellationToken cancellationToken)
    {
        await using var db = await ledgers.CreateDbContextAsync(cancellationToken);
        var entry = await db.Certificates.AsNoTracking().SingleAsync(c => c.Number == number, cancellationToken);
        return entry.Fingerprint == fingerprint ? new IssueOutcome.Issued(CertificateView.Of(entry, time.GetUtcNow()), Replayed: true) : new IssueOutcome.KeyReused();
    }

    /// <summary>Registers an answer that wrote nothing to the ledger (a replay, 409, 422) on its own, and returns it.</summary>
    private async Task<IssueOutcome> RegisteredAsync(Caller caller, CertificateRequest request, IssueOutcome outcome)
    {
        await audit.RecordAsync(CertificateAuditEvent.Of(caller, request, outcome), CancellationToken.None);
        return outcome;
    }
}

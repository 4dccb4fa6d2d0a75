using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Certificates;

/// <summary>What became of a request to issue.</summary>
/// <param name="AuditCode">What the audit log stores for this outcome (<see cref="CertificateOutcomeCodes"/>).</param>
internal abstract record IssueOutcome(string AuditCode)
{
    /// <summary>Issued now (201), or the certificate this key issued before (replayed).</summary>
    public sealed record Issued(IssuedCertificate Certificate, bool Replayed) : IssueOutcome(CertificateOutcomeCodes.Issued);

    /// <summary>The key was used with another body (422).</summary>
    public sealed record KeyReused() : IssueOutcome(CertificateOutcomeCodes.KeyReused);

    /// <summary>The first request with this key is still being processed (409).</summary>
    public sealed record InProgress(TimeSpan RetryAfter) : IssueOutcome(CertificateOutcomeCodes.InProgress);

    /// <summary>No node with this id in the registry (404 on <c>record.nodeId</c>).</summary>
    public sealed record UnknownNode() : IssueOutcome(CertificateOutcomeCodes.UnknownNode);

    /// <summary>No such record for this subject, or not one the caller may have (404; which is not said).</summary>
    public sealed record RecordNotFound() : IssueOutcome(CertificateOutcomeCodes.RecordNotFound);

    /// <summary>The caller's agreement does not cover the holding archive (403).</summary>
    public sealed record NotCovered() : IssueOutcome(CertificateOutcomeCodes.NotCovered);

    /// <summary>A probable match needs a clerk's confirmation (422 on <c>probableMatchConfirmed</c>).</summary>
    public sealed record ProbableMatchNotConfirmed() : IssueOutcome(CertificateOutcomeCodes.ProbableMatchNotConfirmed);

    /// <summary>The paper record is being retrieved (202 with Retry-After; the key is free to retry).</summary>
    public sealed record RetrievalPending(RecordRetrieval Retrieval) : IssueOutcome(CertificateOutcomeCodes.RetrievalPending);

    /// <summary>The holding archive did not answer usably (503, or 504 on a timeout).</summary>
    public sealed record NodeUnavailable(NodeStatus Status) : IssueOutcome(CertificateOutcomeCodes.NodeUnavailable);

    /// <summary>No signing key could be had (503).</summary>
    public sealed record SigningUnavailable() : IssueOutcome(CertificateOutcomeCodes.SigningUnavailable);
}

/// <summary>
/// Issues certificates at most once per (client, idempotency key), across retries, crashes and
/// instances. The ledger's primary key on (client, key) is the arbiter:
/// <list type="number">
/// <item>the request inserts a <c>pending</c> row with a lease token in a write of its own: the one
/// insert that succeeds wins; the others read the row and answer 422 (another body), 409 (still
/// pending) or replay (completed);</item>
/// <item>the winner fetches the evidence from the holding node, then in ONE transaction inserts the
/// certificate (unique on client and key), completes the row (compare-and-set on its lease token) and
/// registers the evidence read and the issue in the audit log — all of it commits, or none;</item>
/// <item>a pending row whose lease ran out (its instance crashed or stalled) is taken over by
/// compare-and-set on the old token; the stalled instance's compare-and-set then fails and it replays
/// what the new holder wrote, so a crash anywhere converges on one certificate;</item>
/// <item>an attempt that issues nothing (record not found, paper retrieval, node down) deletes its
/// pending row, so the same key can be retried.</item>
/// </list>
/// Every write goes through the <see cref="LedgerWriter"/>, which commits concurrent requests' writes
/// together: an issue costs two commits (the claim, the certificate), shared with whoever else writes then.
/// </summary>
internal sealed class CertificateIssuance(
    LedgerWriter writer,
    IDbContextFactory<CertificateLedger> ledgers,
    NodeRegistry registry,
    EvidenceSource evidence,
    CertificateKeyStore keys,
    ICertificateAudit audit,
    TimeProvider time,
    IOptions<CertificateOptions> options,
    ILogger<CertificateIssuance> logger)
{
    public async Task<IssueOutcome> IssueAsync(Caller caller, string idempotencyKey, CertificateRequest request, CancellationToken cancellationToken)
    {
        var fingerprint = Fingerprint(request);
        for (var round = 0; round < 3; round++)
        {
            var claim = await writer.WriteAsync(batch => ClaimAsync(batch, caller.ClientId, idempotencyKey, fingerprint));
            var outcome = claim switch
            {
                Claim.Mismatch => await AuditedAsync(caller, request, new IssueOutcome.KeyReused()),
                Claim.Busy busy => await AuditedAsync(caller, request, new IssueOutcome.InProgress(busy.RetryAfter)),
                Claim.Done done => await AuditedAsync(caller, request, await ReplayAsync(done.Number, fingerprint, cancellationToken)),
                Claim.Won won => await IssueHoldingKeyAsync(caller, idempotencyKey, fingerprint, won, request, cancellationToken),
                _ => throw new InvalidOperationException(),
            };

            // Null: the lease was lost to another instance; the row now says what to answer.
            if (outcome is not null)
            {
                return outcome;
            }
        }

        return await AuditedAsync(caller, request, new IssueOutcome.InProgress(TimeSpan.FromSeconds(1)));
    }

    /// <summary>
    /// SHA-256 of the request as the gateway understood it (canonical JSON of the parsed, trimmed body), so
    /// white space and property order do not make a retry "another body". Note: the body holds the subject's
    /// ID number; the hash is kept in the ledger, whose readers may read the certificates anyway.
    /// </summary>
    public static string Fingerprint(CertificateRequest request)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, CertificateSigner.PayloadJson))));

    private abstract record Claim
    {
        /// <param name="LeaseToken">The token that completing the key compares against.</param>
        /// <param name="Prior">The certificate this key issued before its row was purged after its retention (the certificate's unique index keeps it).</param>
        public sealed record Won(Guid LeaseToken, CertificateEntry? Prior) : Claim;

        public sealed record Mismatch : Claim;

        public sealed record Busy(TimeSpan RetryAfter) : Claim;

        public sealed record Done(string Number) : Claim;
    }

    /// <summary>A signed certificate: its ledger row, and the certificate it was made from (so answering it parses nothing).</summary>
    private sealed record SignedCertificate(CertificateEntry Entry, Certificate Certificate);

    /// <summary>What a winner decided to issue: the signed certificate and the evidence read it rests on.</summary>
    private sealed record Issuable(SignedCertificate Signed, CertificateAuditEvent RecordRead, Func<SignedCertificate> Renumbered);

    /// <summary>The holder lost its lease before writing: another instance holds the key now (rolls the write back).</summary>
    private sealed class LeaseLostException : Exception;

    private async Task<Claim> ClaimAsync(LedgerBatch batch, string clientId, string key, string fingerprint)
    {
        var lease = options.Value.IdempotencyLease;
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var token = Guid.NewGuid();
            // DO NOTHING on the primary key rather than a failed insert: on PostgreSQL an error would abort the transaction.
            var insert = batch.Sql("""
                INSERT INTO idempotency_keys ("ClientId", "Key", "Fingerprint", "State", "LeaseToken", "LeaseExpiresAt", "CreatedAt")
                VALUES (@client, @key, @fingerprint, @pending, @token, @leaseUntil, @now)
                ON CONFLICT DO NOTHING
                """).With("client", clientId).With("key", key).With("fingerprint", fingerprint).With("pending", (int)IdempotencyState.Pending)
                .With("token", token).With("leaseUntil", now + lease).With("now", now);
            if (await insert.ExecuteAsync() == 1)
            {
                return new Claim.Won(token, await PriorAsync(batch, clientId, key));
            }

            // The key exists: its row says who holds it.
            var existing = await batch.Sql("""
                SELECT "Fingerprint", "State", "CertificateNumber", "LeaseToken", "LeaseExpiresAt" FROM idempotency_keys
                WHERE "ClientId" = @client AND "Key" = @key
                """).With("client", clientId).With("key", key)
                .FirstAsync(r => new KeyRow(
                    r.GetString(0), (IdempotencyState)r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetFieldValue<Guid>(3), r.GetFieldValue<DateTime>(4)));

            if (existing is null)
            {
                if (attempt >= 3)
                {
                    throw new InvalidOperationException("The idempotency key could neither be inserted nor read.");
                }

                continue; // released meanwhile
            }

            if (existing.Fingerprint != fingerprint)
            {
                return new Claim.Mismatch();
            }

            if (existing.State == IdempotencyState.Completed)
            {
                return new Claim.Done(existing.CertificateNumber!);
            }

            if (existing.LeaseExpiresAt > now)
            {
                var left = existing.LeaseExpiresAt - now;
                return new Claim.Busy(left < TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2));
            }

            // The holder's lease ran out: it crashed or stalls. Take the key over unless another instance just did.
            var takenOver = await batch.Sql("""
                UPDATE idempotency_keys SET "LeaseToken" = @token, "LeaseExpiresAt" = @leaseUntil
                WHERE "ClientId" = @client AND "Key" = @key AND "LeaseToken" = @heldBy AND "State" = @pending
                """).With("token", token).With("leaseUntil", now + lease).With("client", clientId).With("key", key)
                .With("heldBy", existing.LeaseToken).With("pending", (int)IdempotencyState.Pending)
                .ExecuteAsync();
            if (takenOver == 1)
            {
                logger.LogWarning("Idempotency key of client {ClientId} taken over after its lease expired (an instance crashed or stalled).", clientId);
                return new Claim.Won(token, await PriorAsync(batch, clientId, key));
            }

            if (attempt >= 3)
            {
                return new Claim.Busy(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>The idempotency row as a claim reads it.</summary>
    private sealed record KeyRow(string Fingerprint, IdempotencyState State, string? CertificateNumber, Guid LeaseToken, DateTime LeaseExpiresAt);

    /// <summary>The certificate this client's key issued already (its row was purged after its retention); almost always none.</summary>
    private static async Task<CertificateEntry?> PriorAsync(LedgerBatch batch, string clientId, string key)
    {
        var exists = await batch.Sql("""SELECT 1 FROM certificates WHERE "ClientId" = @client AND "IdempotencyKey" = @key""")
            .With("client", clientId).With("key", key).FirstAsync(r => true);
        return !exists ? null : await batch.Ledger.Certificates.AsNoTracking().SingleAsync(c => c.ClientId == clientId && c.IdempotencyKey == key);
    }

    private async Task<IssueOutcome?> IssueHoldingKeyAsync(Caller caller, string key, string fingerprint, Claim.Won claim, CertificateRequest request, CancellationToken cancellationToken)
    {
        var leaseToken = claim.LeaseToken;
        var settled = false;
        CertificateAuditEvent? recordRead = null;
        try
        {
            IssueOutcome? outcome;
            if (claim.Prior is { } prior)
            {
                outcome = await writer.WriteAsync(batch => CompleteWithAsync(batch, caller, request, key, leaseToken, prior, fingerprint, null));
            }
            else
            {
                var (refusal, read, issuable) = await DecideAsync(caller, key, fingerprint, request, cancellationToken);
                recordRead = read;
                outcome = issuable is null
                    ? await writer.WriteAsync(batch => RefuseAsync(batch, caller, request, key, leaseToken, read, refusal!))
                    : await writer.WriteAsync(batch => WriteAsync(batch, caller, request, key, fingerprint, leaseToken, issuable));
            }

            settled = true;
            return outcome;
        }
        catch (LeaseLostException)
        {
            // Another instance took the key over while this one stalled: what it did decides the answer. The
            // evidence read was rolled back with the write; the node was asked all the same.
            settled = true;
            logger.LogWarning("Lost the idempotency lease of client {ClientId} before writing; answering from the ledger.", caller.ClientId);
            if (recordRead is not null)
            {
                await audit.RecordAsync(recordRead, CancellationToken.None);
            }

            return null;
        }
        finally
        {
            if (!settled)
            {
                // Nothing was issued: free the key for a retry. (After a crash the lease expiry does the same.)
                await writer.WriteAsync(batch => ReleaseAsync(batch, caller.ClientId, key, leaseToken));
            }
        }
    }

    /// <summary>
    /// Everything short of writing: the holding node, the caller's coverage, the evidence (the node is asked
    /// about the subject: the read is returned, to be registered with whatever is written), the match and a
    /// signing key. Either a refusal or a signed certificate.
    /// </summary>
    private async Task<(IssueOutcome? Refusal, CertificateAuditEvent? RecordRead, Issuable? Issuable)> DecideAsync(
        Caller caller, string key, string fingerprint, CertificateRequest request, CancellationToken cancellationToken)
    {
        if (!registry.TryGetNode(request.Record.NodeId, out var node))
        {
            return (new IssueOutcome.UnknownNode(), null, null);
        }

        if ((node.Description.DivisionCode ?? (DivisionCode.TryParse(node.NodeId, out var fromId, out _) ? fromId : null)) is not { } division)
        {
            logger.LogError("Registry node {NodeId} has no division code; certificates of its records cannot be numbered.", node.NodeId);
            return (new IssueOutcome.NodeUnavailable(NodeStatus.Error), null, null);
        }

        if (!caller.Regions.Any(division.IsWithin))
        {
            return (new IssueOutcome.NotCovered(), null, null);
        }

        var answer = await evidence.FetchAsync(node, request.Record.RecordId, request.Subject, cancellationToken);
        var read = new CertificateAuditEvent(CertificateAction.RecordRead, caller, null, node.NodeId, request.Subject.IdNumber, request.Subject.Name, answer.AuditCode)
        {
            SubjectBirthDate = request.Subject.BirthDate,
            Purpose = request.Purpose,
            RecordId = request.Record.RecordId,
        };
        switch (answer)
        {
            case EvidenceAnswer.NotFound:
                return (new IssueOutcome.RecordNotFound(), read, null);
            case EvidenceAnswer.Pending pending:
                return (new IssueOutcome.RetrievalPending(pending.Retrieval), read, null);
            case EvidenceAnswer.Unavailable unavailable:
                return (new IssueOutcome.NodeUnavailable(unavailable.Status), read, null);
            case EvidenceAnswer.Found found:
                var record = found.Evidence;
                // Note: a record of a category outside the agreement, or one that the node matched but whose
                // stated identity disagrees with the subject, answers exactly as a missing record.
                if (!caller.Categories.Contains(record.Category) || !AgreesWithSubject(record, request.Subject))
                {
                    return (new IssueOutcome.RecordNotFound(), read, null);
                }

                if (record.Match == MatchKind.Probable && !request.ProbableMatchConfirmed)
                {
                    return (new IssueOutcome.ProbableMatchNotConfirmed(), read, null);
                }

                if (await keys.GetActiveAsync(cancellationToken) is not { } signingKey)
                {
                    return (new IssueOutcome.SigningUnavailable(), read, null);
                }

                // Built and signed before the write, so the writer's transaction holds no signing.
                SignedCertificate Signed()
                {
                    var certificate = Build(caller, request, node, division, record);
                    return new SignedCertificate(Entry(caller, key, fingerprint, certificate, signingKey), certificate);
                }

                return (null, read, new Issuable(Signed(), read, Signed));
            default:
                throw new InvalidOperationException();
        }
    }

    private static CertificateEntry Entry(Caller caller, string key, string fingerprint, Certificate certificate, SigningKey signingKey)
    {
        var payload = CertificateSigner.Serialize(certificate);
        return new CertificateEntry
        {
            Number = certificate.Number,
            ClientId = caller.ClientId,
            IdempotencyKey = key,
            Fingerprint = fingerprint,
            Hall = certificate.Issuer.Channel.Hall?.Value,
            ClerkId = caller.ClerkId,
            NodeId = certificate.HoldingArchive.NodeId,
            VerificationCode = certificate.VerificationCode,
            PayloadJson = payload,
            Jws = CertificateSigner.Sign(payload, signingKey),
            KeyId = signingKey.KeyId,
            IssuedAt = certificate.IssuedAt.UtcDateTime,
            ExpiresAt = certificate.ExpiresAt.UtcDateTime,
        };
    }

    /// <summary>
    /// In the writer's transaction: insert the certificate, complete the key (compare-and-set on the lease)
    /// and register the evidence read and the issue. A lost lease throws <see cref="LeaseLostException"/>,
    /// which rolls all of it back.
    /// </summary>
    private async Task<IssueOutcome?> WriteAsync(
        LedgerBatch batch, Caller caller, CertificateRequest request, string key, string fingerprint, Guid leaseToken, Issuable issuable)
    {
        var signed = issuable.Signed;
        for (var attempt = 0; ; attempt++)
        {
            var entry = signed.Entry;
            // DO NOTHING on a unique conflict (the number, or the client's key) rather than a failed insert: on
            // PostgreSQL an error would abort the transaction. Revocation and prints start empty.
            var insert = batch.Sql("""
                INSERT INTO certificates ("Number", "ClientId", "IdempotencyKey", "Fingerprint", "Hall", "ClerkId", "NodeId", "VerificationCode",
                    "PayloadJson", "Jws", "KeyId", "IssuedAt", "ExpiresAt", "PrintCount")
                VALUES (@number, @client, @key, @fingerprint, @hall, @clerk, @node, @code, @payload, @jws, @kid, @issuedAt, @expiresAt, 0)
                ON CONFLICT DO NOTHING
                """).With("number", entry.Number).With("client", entry.ClientId).With("key", entry.IdempotencyKey).With("fingerprint", entry.Fingerprint)
                .With("hall", entry.Hall).With("clerk", entry.ClerkId).With("node", entry.NodeId).With("code", entry.VerificationCode)
                .With("payload", entry.PayloadJson).With("jws", entry.Jws).With("kid", entry.KeyId).With("issuedAt", entry.IssuedAt).With("expiresAt", entry.ExpiresAt);
            if (await insert.ExecuteAsync() == 1)
            {
                break;
            }

            // The key's certificate appeared meanwhile, or a number collision (one in 8.9·10^8 a day per archive): try again.
            if (await PriorAsync(batch, caller.ClientId, key) is { } prior)
            {
                return await CompleteWithAsync(batch, caller, request, key, leaseToken, prior, fingerprint, issuable.RecordRead);
            }

            if (attempt >= 2)
            {
                throw new InvalidOperationException("No free certificate number after three tries.");
            }

            signed = issuable.Renumbered();
        }

        if (!await CompleteKeyAsync(batch, caller.ClientId, key, leaseToken, signed.Entry.Number, signed.Entry.IssuedAt, fingerprint: null))
        {
            throw new LeaseLostException();
        }

        var issued = new IssueOutcome.Issued(ToIssued(signed.Entry, time.GetUtcNow(), signed.Certificate), Replayed: false);
        await audit.RecordAsync(batch, issuable.RecordRead, EventOf(caller, request, issued));
        return issued;
    }

    /// <summary>Completes the key with its certificate: a compare-and-set on the lease token (false when another instance holds the key now).</summary>
    private static async Task<bool> CompleteKeyAsync(LedgerBatch batch, string clientId, string key, Guid leaseToken, string number, DateTime completedAt, string? fingerprint)
    {
        var complete = batch.Sql("""
            UPDATE idempotency_keys SET "State" = @completed, "CompletedAt" = @completedAt, "CertificateNumber" = @number,
                "Fingerprint" = COALESCE(@fingerprint, "Fingerprint")
            WHERE "ClientId" = @client AND "Key" = @key AND "LeaseToken" = @token AND "State" = @pending
            """).With("completed", (int)IdempotencyState.Completed).With("completedAt", completedAt).With("number", number).With("fingerprint", fingerprint)
            .With("client", clientId).With("key", key).With("token", leaseToken).With("pending", (int)IdempotencyState.Pending);
        return await complete.ExecuteAsync() == 1;
    }

    /// <summary>In the writer's transaction: release the key and register the evidence read (if the node was asked) and the refusal.</summary>
    private async Task<IssueOutcome?> RefuseAsync(
        LedgerBatch batch, Caller caller, CertificateRequest request, string key, Guid leaseToken, CertificateAuditEvent? recordRead, IssueOutcome refusal)
    {
        await ReleaseAsync(batch, caller.ClientId, key, leaseToken);
        await audit.RecordAsync(batch, [.. recordRead is null ? [] : new[] { recordRead }, EventOf(caller, request, refusal)]);
        return refusal;
    }

    private static async Task<bool> ReleaseAsync(LedgerBatch batch, string clientId, string key, Guid leaseToken)
    {
        var release = batch.Sql("""
            DELETE FROM idempotency_keys WHERE "ClientId" = @client AND "Key" = @key AND "LeaseToken" = @token AND "State" = @pending
            """).With("client", clientId).With("key", key).With("token", leaseToken).With("pending", (int)IdempotencyState.Pending);
        return await release.ExecuteAsync() == 1;
    }

    private Certificate Build(Caller caller, CertificateRequest request, RegisteredNode node, DivisionCode division, RecordEvidence record)
    {
        var now = time.GetUtcNow();
        var issuedAt = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var channel = request.IssuedVia with { Hall = request.IssuedVia.Kind == IssuingChannelKind.Hall ? caller.Hall ?? request.IssuedVia.Hall : request.IssuedVia.Hall };
        return new Certificate
        {
            Version = 1,
            Number = CertificateNumbers.NewNumber(division, issuedAt),
            VerificationCode = CertificateNumbers.NewCode(),
            IssuedAt = issuedAt,
            IssuedAtChina = issuedAt.ToOffset(CertificateNumbers.ChinaOffset),
            ExpiresAt = issuedAt + options.Value.Validity,
            HoldingArchive = new CertificateArchive { NodeId = node.NodeId, NameZh = node.NameZh, NameEn = node.NameEn, DivisionCode = division },
            Record = new CertificateRecord
            {
                RecordId = record.RecordId,
                Category = record.Category,
                ArchivalReference = record.ArchivalReference,
                Title = record.Title,
                Summary = record.Summary,
                EventDate = record.EventDate,
                Match = record.Match,
                Facts = record.Facts,
            },
            Subject = new CertificateSubject
            {
                Name = record.SubjectName,
                // Note: masked again whatever the node sent.
                MaskedIdNumber = request.Subject.IdNumber?.Masked ?? (record.MaskedIdNumber is { } masked ? IdNumber.Mask(masked.Trim()) : null),
            },
            Purpose = request.Purpose,
            Use = request.Use,
            Applicant = request.Applicant,
            Issuer = new CertificateIssuer { Channel = channel, ClientId = caller.ClientId, ClerkName = caller.ClerkName },
        };
    }

    /// <summary>The identity the record states does not contradict the subject (the node matched them; this guards against a careless node).</summary>
    private static bool AgreesWithSubject(RecordEvidence record, Subject subject)
    {
        if (subject.IdNumber is { } id && record.MaskedIdNumber is { } masked && IdNumber.Mask(masked.Trim()) != id.Masked)
        {
            return false;
        }

        var birthDate = subject.BirthDate ?? subject.IdNumber?.BirthDate;
        return record.SubjectBirthDate is not { } stated || birthDate is not { } given || stated == given;
    }

    /// <summary>In the writer's transaction: the key's certificate exists already; complete the key with it and answer it (or 422).</summary>
    private async Task<IssueOutcome?> CompleteWithAsync(
        LedgerBatch batch, Caller caller, CertificateRequest request, string key, Guid leaseToken, CertificateEntry prior, string fingerprint, CertificateAuditEvent? recordRead)
    {
        await CompleteKeyAsync(batch, caller.ClientId, key, leaseToken, prior.Number, time.GetUtcNow().UtcDateTime, prior.Fingerprint);
        IssueOutcome outcome = prior.Fingerprint == fingerprint ? new IssueOutcome.Issued(ToIssued(prior, time.GetUtcNow()), Replayed: true) : new IssueOutcome.KeyReused();
        await audit.RecordAsync(batch, [.. recordRead is null ? [] : new[] { recordRead }, EventOf(caller, request, outcome)]);
        return outcome;
    }

    private async Task<IssueOutcome> ReplayAsync(string number, string fingerprint, CancellationToken cancellationToken)
    {
        await using var db = await ledgers.CreateDbContextAsync(cancellationToken);
        var entry = await db.Certificates.AsNoTracking().SingleAsync(c => c.Number == number, cancellationToken);
        return entry.Fingerprint == fingerprint ? new IssueOutcome.Issued(ToIssued(entry, time.GetUtcNow()), Replayed: true) : new IssueOutcome.KeyReused();
    }

    /// <summary>Registers an answer that wrote nothing to the ledger (a replay, 409, 422) on its own, and returns it.</summary>
    private async Task<IssueOutcome> AuditedAsync(Caller caller, CertificateRequest request, IssueOutcome outcome)
    {
        await audit.RecordAsync(EventOf(caller, request, outcome), CancellationToken.None);
        return outcome;
    }

    private static CertificateAuditEvent EventOf(Caller caller, CertificateRequest request, IssueOutcome outcome)
    {
        var (action, number) = outcome switch
        {
            IssueOutcome.Issued { Replayed: false } issued => (CertificateAction.Issued, issued.Certificate.Certificate.Number),
            IssueOutcome.Issued issued => (CertificateAction.Replayed, issued.Certificate.Certificate.Number),
            _ => (CertificateAction.Refused, null),
        };
        return new CertificateAuditEvent(action, caller, number, request.Record.NodeId, request.Subject.IdNumber, request.Subject.Name, outcome.AuditCode)
        {
            SubjectBirthDate = request.Subject.BirthDate,
            Purpose = request.Purpose,
        };
    }

    /// <summary>
    /// The certificate as the API returns it, with its status at <paramref name="now"/>. <paramref name="certificate"/>:
    /// the certificate the entry's payload was made from, when at hand (else the payload is parsed).
    /// </summary>
    public static IssuedCertificate ToIssued(CertificateEntry entry, DateTimeOffset now, Certificate? certificate = null) => new()
    {
        Certificate = certificate ?? CertificateSigner.Deserialize(entry.PayloadJson),
        Jws = entry.Jws,
        KeyId = entry.KeyId,
        Status = StatusOf(entry, now),
        Revocation = entry.RevokedAt is { } revokedAt ? new CertificateRevocation { RevokedAt = Utc(revokedAt), Reason = entry.RevocationReason ?? "" } : null,
        PrintCount = entry.PrintCount,
        LastPrintedAt = entry.LastPrintedAt is { } printed ? Utc(printed) : null,
    };

    public static CertificateStatus StatusOf(CertificateEntry entry, DateTimeOffset now)
        => entry.RevokedAt is not null ? CertificateStatus.Revoked
            : Utc(entry.ExpiresAt) <= now ? CertificateStatus.Expired
            : CertificateStatus.Valid;

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);
}

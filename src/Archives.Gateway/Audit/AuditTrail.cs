using System.Data.Common;
using System.Diagnostics;
using Archives.Gateway.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Audit;

/// <summary>
/// Appends to the audit log, one chain whatever the number of instances and concurrent requests. Every
/// append runs in the ledger's write transaction (<see cref="LedgerWriter"/>): it reads the last entry and
/// inserts the next, serialised per database by the lock every writer transaction takes first
/// (<see cref="LedgerBatch.LockForWritingAsync"/>: SQLite's <c>BEGIN IMMEDIATE</c>, PostgreSQL's advisory lock). Within an
/// instance the writer runs one piece of work at a time; the primary key on the sequence number is the
/// arbiter should two appends ever race anyway: the loser retries on the new last entry. An action that
/// writes to the ledger as well (issuing, printing, revoking) appends within its own piece of work
/// (<see cref="AppendAsync(LedgerBatch, IReadOnlyList{AuditRecord})"/>), so the action and its entries commit
/// together. Within one transaction the chain's last entry is read once (the transaction holds the lock).
/// </summary>
internal sealed class AuditTrail(LedgerWriter writer, SubjectKeys subjects, TimeProvider time, ILogger<AuditTrail> logger) : IAuditTrail
{
    private const int Attempts = 5;

    /// <inheritdoc/>
    public async Task<AuditEntry> AppendAsync(AuditRecord record)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await writer.WriteAsync(batch => AppendInAsync(batch, [record])))[0];
            }
            catch (DbException) when (attempt < Attempts)
            {
                // Another append took this sequence number (the primary key said so): append after it.
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt));
            }
            catch (Exception e)
            {
                throw Unavailable(record, e);
            }
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuditEntry>> AppendAsync(LedgerBatch batch, params IReadOnlyList<AuditRecord> records)
    {
        try
        {
            return await AppendInAsync(batch, records);
        }
        catch (Exception e)
        {
            throw Unavailable(records[^1], e);
        }
    }

    /// <summary>The append itself; a failure (another instance took the sequence number) fails the piece of work.</summary>
    private async Task<IReadOnlyList<AuditEntry>> AppendInAsync(LedgerBatch batch, IReadOnlyList<AuditRecord> records)
    {
        // Plain SQL on the writer's transaction for the tail and the inserts, as for the ledger's hot writes (see LedgerBatch.Sql).
        // The transaction holds the ledger's write lock from its start: the tail read here stays the tail until its commit.
        if (batch.Recall<ChainTail>() is not { } tail)
        {
            tail = await batch.Sql($"""SELECT "Sequence", "Hash" FROM {LedgerDatabase.AuditTable} ORDER BY "Sequence" DESC LIMIT 1""").FirstAsync(r => new ChainTail(r.GetInt64(0), r.GetString(1))) ?? new ChainTail(0, AuditChain.Genesis);
        }

        var entries = new List<AuditEntry>(records.Count);
        foreach (var record in records)
        {
            var (subjectId, subjectNameBirth) = record.Subject is { } subject ? subjects.Of(subject) : (null, null);
            if (subjectId is null && subjectNameBirth is null && record.Reference is { } reference)
            {
                // A later action on a certificate (read, print, revoke…) is about the subject it was issued for.
                var earlier = entries.LastOrDefault(e => e.Reference == reference && (e.SubjectId != null || e.SubjectNameBirth != null))
                    ?? await batch.Ledger.AuditEntries.AsNoTracking()
                        .Where(e => e.Reference == reference && (e.SubjectId != null || e.SubjectNameBirth != null))
                        .OrderByDescending(e => e.Sequence)
                        .FirstOrDefaultAsync();
                (subjectId, subjectNameBirth) = (earlier?.SubjectId, earlier?.SubjectNameBirth);
            }

            var entry = new AuditEntry
            {
                Sequence = tail.Sequence + 1,
                At = AuditChain.Truncate(time.GetUtcNow()),
                Action = record.Action,
                ClientId = record.Caller?.ClientId,
                ClerkId = record.Caller?.ClerkId,
                ClerkName = record.Caller?.ClerkName,
                Hall = record.Caller?.Hall?.Value,
                SubjectId = subjectId,
                SubjectNameBirth = subjectNameBirth,
                Purpose = record.Purpose,
                Nodes = record.Nodes.Count == 0 ? null : string.Join(',', record.Nodes),
                Outcome = record.Outcome,
                Reference = record.Reference,
                TraceId = CurrentTraceId(),
                PreviousHash = tail.Hash,
                Hash = "",
            };
            entry.Hash = AuditChain.ComputeHash(entry);
            var insert = batch.Sql($"""
                INSERT INTO {LedgerDatabase.AuditTable} ("Sequence", "At", "Action", "ClientId", "ClerkId", "ClerkName", "Hall", "SubjectId", "SubjectNameBirth",
                    "Purpose", "Nodes", "Outcome", "Reference", "TraceId", "PreviousHash", "Hash")
                VALUES (@sequence, @at, @action, @client, @clerk, @clerkName, @hall, @subjectId, @subjectNameBirth,
                    @purpose, @nodes, @outcome, @reference, @trace, @previous, @hash)
                """).With("sequence", entry.Sequence).With("at", entry.At).With("action", entry.Action).With("client", entry.ClientId)
                .With("clerk", entry.ClerkId).With("clerkName", entry.ClerkName).With("hall", entry.Hall).With("subjectId", entry.SubjectId)
                .With("subjectNameBirth", entry.SubjectNameBirth).With("purpose", entry.Purpose).With("nodes", entry.Nodes).With("outcome", entry.Outcome)
                .With("reference", entry.Reference).With("trace", entry.TraceId).With("previous", entry.PreviousHash).With("hash", entry.Hash);
            // A sequence number another instance took fails here (the primary key), and with it the piece of work.
            await insert.ExecuteAsync();
            entries.Add(entry);
            tail = new ChainTail(entry.Sequence, entry.Hash);
        }

        batch.Remember(tail);
        return entries;
    }

    /// <summary>The chain's last entry, as this transaction knows it.</summary>
    private sealed record ChainTail(long Sequence, string Hash);

    /// <summary>Logs why <paramref name="record"/> could not be registered, and says so to the caller.</summary>
    private AuditUnavailableException Unavailable(AuditRecord record, Exception e)
    {
        // Note: the record is not logged; it may be about a person. The action and the error are enough to act on.
        logger.LogError(e, "The audit log could not register {Action} for client {ClientId}; it is not served.", record.Action, record.Caller?.ClientId);
        return new AuditUnavailableException($"The audit log could not register {record.Action}.", e);
    }

    /// <summary>The W3C trace id of the current request (from its <c>traceparent</c>, or the one ASP.NET Core started).</summary>
    private static string? CurrentTraceId()
        => Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : null;
}

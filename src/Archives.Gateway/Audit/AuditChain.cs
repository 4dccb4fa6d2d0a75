using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Archives.Gateway.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Audit;

/// <summary>
/// The hash chain of the audit log: its canonical form, and the check of the whole chain.
/// </summary>
/// <remarks>
/// The canonical form of an entry is UTF-8 text: the line <c>archives-audit/1</c>, then one line per field
/// in this order — <c>sequence</c>, <c>at</c>, <c>action</c>, <c>client</c>, <c>clerk</c>, <c>clerk-name</c>,
/// <c>hall</c>, <c>subject-id</c>, <c>subject-name-birth</c>, <c>purpose</c>, <c>nodes</c>, <c>outcome</c>,
/// <c>reference</c>, <c>trace</c>, <c>previous</c> — written <c>name=-</c> when the field is null and
/// <c>name=N:value</c> otherwise, N being the value's length in UTF-8 bytes (so no value can imitate a field
/// boundary); every line ends with <c>\n</c>. <c>sequence</c> is decimal; <c>at</c> is
/// <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> (UTC); the rest are the stored strings. The entry's hash is the
/// lower-case hex SHA-256 of those bytes. The README shows the same in a few lines of Python.
/// </remarks>
internal static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    private const int BatchSize = 500;

    public static string Canonical(AuditEntry e)
    {
        var text = new StringBuilder("archives-audit/1\n");
        Field(text, "sequence", e.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(text, "at", FormatTime(e.At));
        Field(text, "action", e.Action);
        Field(text, "client", e.ClientId);
        Field(text, "clerk", e.ClerkId);
        Field(text, "clerk-name", e.ClerkName);
        Field(text, "hall", e.Hall);
        Field(text, "subject-id", e.SubjectId);
        Field(text, "subject-name-birth", e.SubjectNameBirth);
        Field(text, "purpose", e.Purpose);
        Field(text, "nodes", e.Nodes);
        Field(text, "outcome", e.Outcome);
        Field(text, "reference", e.Reference);
        Field(text, "trace", e.TraceId);
        Field(text, "previous", e.PreviousHash);
        return text.ToString();
    }

    private static void Field(StringBuilder text, string name, string? value)
    {
        if (value is null)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}=-\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}={Encoding.UTF8.GetByteCount(value)}:{value}\n");
        }
    }

    public static string ComputeHash(AuditEntry entry)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(entry))));

    /// <summary>The form of <see cref="AuditEntry.At"/> in the canonical text (and in the API).</summary>
    public static string FormatTime(DateTime at)
        => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time as the log keeps it: UTC, truncated to the microsecond (PostgreSQL's precision), so it hashes alike after a round trip.</summary>
    public static DateTime Truncate(DateTimeOffset at)
        => new(at.UtcTicks - (at.UtcTicks % 10), DateTimeKind.Utc);

    /// <summary>
    /// Walks the whole chain in sequence order, a batch at a time (bounded memory, no long transaction),
    /// and stops at the first broken entry: one missing (a gap in the sequence), one whose previous hash is
    /// not its predecessor's hash, or one whose hash is not the hash of its content.
    /// </summary>
    public static async Task<ChainCheck> VerifyAsync(LedgerDatabase db, CancellationToken cancellationToken)
    {
        long expected = 1;
        var previous = Genesis;
        long checkedCount = 0;
        while (true)
        {
            var after = expected - 1;
            var batch = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Sequence > after)
                .OrderBy(e => e.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var entry in batch)
            {
                if (entry.Sequence != expected)
                {
                    return ChainCheck.Broken(checkedCount, expected, ChainProblem.Missing,
                        $"Entry {expected} is missing: the entry after {expected - 1} is {entry.Sequence}. Entries were deleted.");
                }

                if (!string.Equals(entry.PreviousHash, previous, StringComparison.Ordinal))
                {
                    return ChainCheck.Broken(checkedCount, entry.Sequence, ChainProblem.PreviousHashMismatch,
                        expected == 1
                            ? "The first entry does not start the chain (its previous hash is not 64 zeros): entries before it were deleted, or it was changed."
                            : $"Entry {entry.Sequence} does not link to entry {entry.Sequence - 1}: entry {entry.Sequence - 1} was changed (and its hash recomputed), or this entry's previous hash was.");
                }

                if (!string.Equals(ComputeHash(entry), entry.Hash, StringComparison.Ordinal))
                {
                    return ChainCheck.Broken(checkedCount, entry.Sequence, ChainProblem.HashMismatch,
                        $"Entry {entry.Sequence} was changed after it was written: its content does not hash to its stored hash.");
                }

                previous = entry.Hash;
                expected++;
                checkedCount++;
            }

            if (batch.Count < BatchSize)
            {
                return ChainCheck.Intact(checkedCount, checkedCount == 0 ? null : new ChainHead(expected - 1, previous));
            }
        }
    }
}

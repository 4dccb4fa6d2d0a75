using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;

namespace Archives.Gateway.Certificates;

/// <summary>
/// <c>GET /api/v1/certificates</c>: the caller's own certificates of one day, newest first (a hall's day list,
/// 当日出证登记). Only those its client issued, and for a clerk (a token with a hall) only their hall's; a
/// machine client may narrow to one hall. Read by keyset on (issued at, number) through the ledger's
/// (client, hall, issued at) and (client, issued at) indexes, so a page costs its own size whatever the day holds.
/// </summary>
internal static class CertificateList
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
    public const int MaxCursorLength = 200;

    /// <summary>A checked list query: the day, the hall the caller sees (its own for a clerk), where the page starts, its size.</summary>
    internal sealed record Query(DateOnly Day, string? Hall, Position? After, int Limit);

    /// <summary>The last certificate of a page: the next page starts after it.</summary>
    internal sealed record Position(DateTime IssuedAt, string Number);

    /// <summary>Reads the query as bound; a bad part is a 400 naming it, another hall named by a clerk a 403 naming <c>hall</c>.</summary>
    public static bool TryRead(CertificateListParameters query, Caller caller, TimeProvider time, [NotNullWhen(true)] out Query? list, out Dictionary<string, string[]> errors, out bool otherHall)
    {
        list = null;
        otherHall = false;
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var day = ChinaTime.Today(time);
        if (One(query.Day, "day", errors) is { } dayText && !DateOnly.TryParseExact(dayText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            errors["day"] = ["'day' is a date in China Standard Time, yyyy-MM-dd."];
        }

        var hall = caller.Hall?.Value;
        if (One(query.Hall, "hall", errors) is { } hallText)
        {
            if (!DivisionCode.TryParse(hallText, out var named, out var hallError))
            {
                errors["hall"] = [$"'hall': {hallError}"];
            }
            else if (caller.Hall is { } own && named != own)
            {
                otherHall = true;
            }
            else
            {
                hall = named.Value;
            }
        }

        var limit = DefaultLimit;
        if (One(query.Limit, "limit", errors) is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"'limit' is a whole number from 1 to {MaxLimit}."];
        }

        Position? after = null;
        if (One(query.Cursor, "cursor", errors) is { } cursorText && !TryDecode(cursorText, day, hall, out after))
        {
            errors["cursor"] = ["'cursor' is not a cursor of this list; pass nextCursor from the previous page unchanged, with the same day and hall."];
        }

        if (errors.Count > 0 || otherHall)
        {
            return false;
        }

        list = new Query(day, hall, after, limit);
        return true;
    }

    /// <summary>One page of the caller's certificates, newest first, and the cursor of the next.</summary>
    public static async Task<(List<CertificateEntry> Page, string? NextCursor)> ReadAsync(LedgerDatabase db, Caller caller, Query query, CancellationToken cancellationToken)
    {
        var from = new DateTimeOffset(query.Day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).UtcDateTime;
        var to = from.AddDays(1);
        var certificates = db.Certificates.AsNoTracking()
            .Where(c => c.ClientId == caller.ClientId && c.IssuedAt >= from && c.IssuedAt < to);
        if (query.Hall is { } hall)
        {
            certificates = certificates.Where(c => c.Hall == hall);
        }

        if (query.After is { } after)
        {
            certificates = certificates.Where(c => c.IssuedAt < after.IssuedAt || (c.IssuedAt == after.IssuedAt && c.Number.CompareTo(after.Number) < 0));
        }

        var page = await certificates
            .OrderByDescending(c => c.IssuedAt).ThenByDescending(c => c.Number)
            .Take(query.Limit + 1)
            .ToListAsync(cancellationToken);
        if (page.Count <= query.Limit)
        {
            return (page, null);
        }

        page.RemoveAt(page.Count - 1);
        return (page, Encode(query.Day, query.Hall, new Position(page[^1].IssuedAt, page[^1].Number)));
    }

    /// <summary>What the audit log keeps of a list read: the day and hall, and how many certificates it showed.</summary>
    public static AuditRecord Registration(Caller caller, Query query, int count) => new(AuditActions.CertificateList, caller)
    {
        Reference = query.Hall is null ? query.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : $"{query.Day:yyyy-MM-dd}/{query.Hall}",
        Outcome = $"count={count}",
    };

    /// <summary>
    /// The cursor: base64url of <c>{"v":1,"d":"2026-12-07","h":"330100","t":&lt;ticks&gt;,"n":"&lt;number&gt;"}</c>, the last
    /// certificate shown and the day and hall it belongs to (a cursor of another list is refused). Keyset, so a
    /// certificate issued while the clerk pages (newer than every one shown) neither shifts nor repeats a page.
    /// Not encrypted: it holds nothing the page did not show.
    /// </summary>
    internal static string Encode(DateOnly day, string? hall, Position position)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new CursorDocument(1, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), hall, position.IssuedAt.Ticks, position.Number));
        return Convert.ToBase64String(json).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    internal static bool TryDecode(string text, DateOnly day, string? hall, [NotNullWhen(true)] out Position? position)
    {
        position = null;
        if (text.Length is 0 or > MaxCursorLength || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return false;
        }

        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            var bytes = Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
            var cursor = JsonSerializer.Deserialize<CursorDocument>(Encoding.UTF8.GetString(bytes));
            if (cursor is not { V: 1 } || cursor.D != day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) || cursor.H != hall
                || cursor.N is null || !CertificateNumbers.IsWellFormedNumber(cursor.N) || cursor.T < DateTime.MinValue.Ticks || cursor.T > DateTime.MaxValue.Ticks)
            {
                return false;
            }

            position = new Position(new DateTime(cursor.T, DateTimeKind.Utc), cursor.N);
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    /// <summary>The parameter's one value; null when it is absent, or given more than once (an error under its name).</summary>
    private static string? One(StringValues? values, string name, Dictionary<string, string[]> errors)
    {
        if (values is not { Count: > 0 } given)
        {
            return null;
        }

        if (given.Count > 1)
        {
            errors[name] = [$"'{name}' is given more than once."];
            return null;
        }

        return given[0];
    }

    private sealed record CursorDocument(
        [property: System.Text.Json.Serialization.JsonPropertyName("v")] int V,
        [property: System.Text.Json.Serialization.JsonPropertyName("d")] string? D,
        [property: System.Text.Json.Serialization.JsonPropertyName("h")] string? H,
        [property: System.Text.Json.Serialization.JsonPropertyName("t")] long T,
        [property: System.Text.Json.Serialization.JsonPropertyName("n")] string? N);
}

using System.Globalization;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Ledger;
using Archives.Gateway.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Archives.Gateway.Audit;

/// <summary>
/// <c>/api/v1/audit</c> (<c>audit.read</c>): the audit log, newest first, filtered by time, client, action
/// and subject; <c>/api/v1/audit/verify</c>: a check of the whole hash chain.
/// </summary>
internal static class AuditApi
{
    public const int MaxClientLength = 100;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/v1/audit").WithTags("Audit")
            .RequireAuthorization(GatewayScopes.AuditRead);
        audit.MapGet("", ListAsync).WithName("ListAuditEntries").WithParameters<AuditQueryParameters>(AuditQueryParameters.Describe).WithText(
            "查询档案利用登记", "Read the audit log",
            "档案利用登记（个人档案检索、调阅与证明的每一次出具、调阅、打印、核验、撤销），按时间倒序分页；可按时间、客户端、事项与当事人筛选。当事人以请求头传递，网关以密钥散列后比对，日志中不存原始身份证号。",
            "The audit log (every personal-record search and read, and every certificate issue, read, print, verification and revocation), newest first, paged; filtered by time, client, action and subject. The subject goes in headers and is compared by its keyed hash; the log never holds a raw ID number.");
        audit.MapGet("/verify", VerifyAsync).WithName("VerifyAuditChain").WithText(
            "校验登记哈希链", "Check the audit log's hash chain",
            "从第一条起逐条重算哈希链；完好时给出末条的序号与哈希（可另行留存以便日后比对），否则指出第一条断裂的登记及原因。",
            "Recomputes the whole hash chain from the first entry; when intact it gives the last entry's sequence and hash (record them elsewhere to compare later), otherwise it names the first broken entry and why.");
        return app;
    }

    /// <summary>
    /// A page of entries, newest first. The subject is given in headers, never in the query string, so that
    /// it stays out of access logs: <c>Archives-Subject-Id-Number</c>, or <c>Archives-Subject-Name</c>
    /// (percent-encoded UTF-8) with <c>Archives-Subject-Birth-Date</c>; the gateway hashes it with the subject key.
    /// </summary>
    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> ListAsync(
        [AsParameters] AuditQueryParameters query, HttpContext context, LedgerDatabase db, SubjectKeys subjects, IOptions<AuditOptions> options)
    {
        context.Response.Headers.CacheControl = "no-store";
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var known = AuditQueryParameters.QueryNames;
        foreach (var unknown in context.Request.Query.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)))
        {
            errors[unknown] = [$"'{unknown}' is not a filter of the audit log ({string.Join(", ", known)}); a subject goes in the {NodeContract.SubjectHeaders.IdNumber} header."];
        }

        var from = Time(query.From, "from", errors);
        var to = Time(query.To, "to", errors);
        if (from is not null && to is not null && from > to)
        {
            errors["to"] = ["'to' is before 'from'."];
        }

        var client = Single(query.Client, "client", errors);
        if (client is not null && (client.Length is 0 or > MaxClientLength || client.Any(char.IsControl)))
        {
            errors["client"] = [$"'client' is a client id of 1 to {MaxClientLength} characters."];
        }

        var action = Single(query.Action, "action", errors);
        if (action is not null && !AuditActions.All.Contains(action))
        {
            errors["action"] = [$"'action' is one of {string.Join(", ", AuditActions.All)}."];
        }

        long? before = null;
        if (Single(query.Cursor, "cursor", errors) is { } cursor)
        {
            before = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0 ? sequence
                : Fail<long?>(errors, "cursor", "'cursor' is the nextCursor of a previous page.");
        }

        var limit = options.Value.DefaultLimit;
        if (Single(query.Limit, "limit", errors) is { } text)
        {
            limit = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= options.Value.MaxLimit ? n
                : Fail<int>(errors, "limit", $"'limit' is between 1 and {options.Value.MaxLimit}.");
        }

        var (subjectId, subjectNameBirth) = Subject(query, subjects, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The audit query is not valid.");
        }

        var entries = db.AuditEntries.AsNoTracking();
        if (from is { } start)
        {
            var utc = AuditChain.Truncate(start);
            entries = entries.Where(e => e.At >= utc);
        }

        if (to is { } end)
        {
            var utc = AuditChain.Truncate(end);
            entries = entries.Where(e => e.At <= utc);
        }

        if (client is not null)
        {
            entries = entries.Where(e => e.ClientId == client);
        }

        if (action is not null)
        {
            entries = entries.Where(e => e.Action == action);
        }

        if (subjectId is not null)
        {
            entries = entries.Where(e => e.SubjectId == subjectId);
        }

        if (subjectNameBirth is not null)
        {
            entries = entries.Where(e => e.SubjectNameBirth == subjectNameBirth);
        }

        if (before is { } last)
        {
            entries = entries.Where(e => e.Sequence < last);
        }

        var page = await entries.OrderByDescending(e => e.Sequence).Take(limit + 1).ToListAsync(context.RequestAborted);
        var more = page.Count > limit;
        return TypedResults.Ok(new AuditPage(
            [.. page.Take(limit).Select(AuditEntryView.From)],
            more ? page[limit - 1].Sequence.ToString(CultureInfo.InvariantCulture) : null));
    }

    /// <summary>Checks the whole chain; 200 either way, saying ok or naming the first broken entry.</summary>
    private static async Task<Ok<ChainCheck>> VerifyAsync(HttpContext context, LedgerDatabase db)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await AuditChain.VerifyAsync(db, context.RequestAborted));
    }

    private static (string? IdNumber, string? NameBirth) Subject(AuditQueryParameters query, SubjectKeys subjects, Dictionary<string, string[]> errors)
    {
        string? idKey = null;
        if (Header(query.SubjectIdNumber, NodeContract.SubjectHeaders.IdNumber, errors) is { } idText)
        {
            // The parser's message explains what is wrong without repeating the number.
            idKey = IdNumber.TryParse(idText.Trim(), out var id, out var error) ? subjects.OfIdNumber(id) : Fail<string?>(errors, NodeContract.SubjectHeaders.IdNumber, error);
        }

        var nameText = Header(query.SubjectName, NodeContract.SubjectHeaders.Name, errors);
        var birthText = Header(query.SubjectBirthDate, NodeContract.SubjectHeaders.BirthDate, errors);
        if (nameText is null && birthText is null)
        {
            return (idKey, null);
        }

        string? name = null;
        try
        {
            name = nameText is null ? null : Uri.UnescapeDataString(nameText).Trim();
        }
        catch (UriFormatException)
        {
        }

        if (string.IsNullOrEmpty(name) || name.Length > NodeContract.MaxNameLength || name.Any(char.IsControl))
        {
            return (idKey, Fail<string?>(errors, NodeContract.SubjectHeaders.Name, $"{NodeContract.SubjectHeaders.Name} (percent-encoded UTF-8, 1 to {NodeContract.MaxNameLength} characters) goes with {NodeContract.SubjectHeaders.BirthDate}."));
        }

        if (!DateOnly.TryParseExact(birthText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate))
        {
            return (idKey, Fail<string?>(errors, NodeContract.SubjectHeaders.BirthDate, $"{NodeContract.SubjectHeaders.BirthDate} (yyyy-MM-dd) goes with {NodeContract.SubjectHeaders.Name}."));
        }

        return (idKey, subjects.OfNameAndBirthDate(name, birthDate));
    }

    private static DateTimeOffset? Time(StringValues? values, string name, Dictionary<string, string[]> errors)
        => Single(values, name, errors) is not { } text ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
            : Fail<DateTimeOffset?>(errors, name, $"'{name}' is an ISO 8601 date and time (2026-11-25T08:00:00Z, or with an offset: 2026-11-25T16:00:00+08:00).");

    private static string? Single(StringValues? values, string name, Dictionary<string, string[]> errors)
        => values is not { Count: > 0 } given ? null : given.Count == 1 ? given[0] : Fail<string?>(errors, name, $"'{name}' is given once.");

    private static string? Header(StringValues? values, string name, Dictionary<string, string[]> errors)
        => values is not { Count: > 0 } given ? null : given.Count == 1 ? given[0] : Fail<string?>(errors, name, $"{name} is given once.");

    /// <summary>Records the field's error; the value returned stands in until the 400 is answered.</summary>
    private static T Fail<T>(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return default!;
    }
}

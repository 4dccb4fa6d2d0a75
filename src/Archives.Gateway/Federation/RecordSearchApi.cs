using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.OpenApi;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Federation;

/// <summary><c>POST /api/v1/records/search</c> (+ <c>/stream</c>): a subject's personal records across the nodes.</summary>
internal static class RecordSearchApi
{
    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapRecordSearchApi(this IEndpointRouteBuilder app)
    {
        var records = app.MapGroup("/api/v1/records").WithTags("Personal records")
            .RequireAuthorization(GatewayScopes.RecordsSearch)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        records.MapPost("/search", Search).WithName("SearchRecords").WithJsonBody(Examples.RecordSearch).WithText(
            "联合检索民生档案", "Search one subject's personal records across archives",
            "按身份号码，或姓名加出生日期，检索查档对象在协议覆盖的各档案馆的民生档案。有身份号码的记录为 exact（精确）匹配；1985 年前无身份号码的记录按姓名和出生日期为 probable（疑似）匹配，须窗口人员确认。协议未覆盖的门类或地区返回 403 并注明字段；协议以外的档案馆为 not-applicable。响应不缓存，身份号码一律脱敏。",
            "Searches the subject's personal records, by ID number or by name and birth date, at every archive the caller's agreement covers. Records carrying the ID number are exact matches; records from before about 1985 without one match on name and birth date as probable matches that a clerk confirms. A category or region outside the agreement is a 403 naming the field; archives outside it are not-applicable. The answer is never cached, and ID numbers are always masked.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        records.MapPost("/search/stream", Stream).WithName("StreamRecordSearch").WithJsonBody(Examples.RecordSearch).WithText(
            "联合检索民生档案（流式）", "Search one subject's personal records as a stream",
            "与 /search 相同的检索（相同的请求体、校验、权限、协议规则和审计），以 Server-Sent Events 返回：每个档案馆应答时（或超时、不可用、熔断、不适用时）发送一个 node 事件（RecordNodeEvent，含该馆的记录和状态），最后发送一个 summary 事件（RecordSummaryEvent）。检索在第一个事件发出前登记于审计日志，无法登记时返回 503，不检索。请求错误（400、403、413、415）在流开始前以 problem+json 返回。响应不缓存。",
            "The same search as /search (same body, validation, scopes, agreement rules and audit) as Server-Sent Events: a node event (RecordNodeEvent: that archive's records and outcome) as each archive answers, or times out, is unhealthy, circuit-open or not applicable, then one summary event (RecordSummaryEvent). The search is registered in the audit log before the first event; when it cannot be, the answer is a 503 and no archive is asked. Refusals (400, 403, 413, 415) are problem+json answers before the stream starts. Never cached.")
            .WithServerSentEvents(("node", typeof(RecordNodeEvent)), ("summary", typeof(RecordSummaryEvent)))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Ok<RecordSearchAnswer>, ValidationProblem, ProblemHttpResult>> Search(
        [FromBody] FederatedRecordSearchRequest? body, HttpContext context, Caller caller, RecordFederation federation,
        IOptionsMonitor<FederationOptions> options, TimeProvider time)
    {
        // Note: personal data; no shared cache or proxy may keep the answer.
        context.Response.Headers.CacheControl = "no-store";
        var (query, refusal) = Check(body, context, caller, options.CurrentValue, time);
        if (query is null)
        {
            return refusal!.Result switch
            {
                ValidationProblem invalid => invalid,
                _ => (ProblemHttpResult)refusal.Result,
            };
        }

        return TypedResults.Ok(await federation.SearchAsync(caller, query, context.RequestAborted));
    }

    /// <summary>The same search as Server-Sent Events; a refusal (400, 403, 413, 415, 503) comes before the stream starts, as a problem.</summary>
    private static async Task<Results<ServerSentEventsResult<object>, ValidationProblem, ProblemHttpResult>> Stream(
        [FromBody] FederatedRecordSearchRequest? body, HttpContext context, Caller caller, RecordFederation federation,
        IOptionsMonitor<FederationOptions> options, TimeProvider time)
    {
        // Note: personal data; no shared cache or proxy may keep the answer.
        context.Response.Headers.CacheControl = "no-store";
        var (query, refusal) = Check(body, context, caller, options.CurrentValue, time);
        if (query is null)
        {
            return refusal!.Result switch
            {
                ValidationProblem invalid => invalid,
                _ => (ProblemHttpResult)refusal.Result,
            };
        }

        var events = await federation.StreamAsync(caller, query, context.RequestAborted);
        return TypedResults.ServerSentEvents(events);
    }

    /// <summary>
    /// Checks the body of either form of the search (the framework has refused one that is not JSON, too large or
    /// malformed): 400 naming the field, 403 outside the caller's agreement.
    /// </summary>
    private static (RecordQuery? Query, Results<ValidationProblem, ProblemHttpResult>? Refusal) Check(
        FederatedRecordSearchRequest? body, HttpContext context, Caller caller, FederationOptions options, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        // A body that is the JSON null is a search without its fields; no body at all is not a search.
        if (body is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true)
        {
            errors["body"] = ["A JSON object is required."];
            return (null, TypedResults.ValidationProblem(errors, title: "The search request is not valid."));
        }

        var subject = SubjectValidation.Validate(body?.Subject, SubjectFields.Body, time, errors);
        var purpose = body?.Purpose?.Trim();
        if (string.IsNullOrEmpty(purpose))
        {
            errors["purpose"] = ["'purpose' (查档用途) is required."];
        }
        else if (purpose.Length > NodeContract.MaxPurposeLength || purpose.Any(char.IsControl))
        {
            errors["purpose"] = [$"'purpose' has at most {NodeContract.MaxPurposeLength} characters."];
        }

        var regions = body?.Regions ?? [];
        if (regions.Count > options.MaxRegionsPerRequest)
        {
            errors["regions"] = [$"'regions' names at most {options.MaxRegionsPerRequest} regions."];
        }

        if (regions.Any(r => r is null))
        {
            errors["regions"] = ["'regions' may not contain null."];
        }

        var categories = body?.Categories ?? [];
        if (categories.Any(c => c is null))
        {
            errors["categories"] = ["'categories' may not contain null."];
        }

        if (errors.Count > 0)
        {
            return (null, TypedResults.ValidationProblem(errors, title: "The search request is not valid."));
        }

        if (Outside(caller, categories, regions) is { } refusal)
        {
            return (null, refusal);
        }

        return (new RecordQuery(subject!, [.. categories.Distinct()], [.. regions.Distinct()], purpose!), null);
    }

    /// <summary>
    /// 403 when the caller's agreement covers none of what was asked: no personal records at all, a
    /// category it does not cover, or only regions it does not cover. Nodes that the agreement leaves
    /// out of a search it does cover are <c>not-applicable</c> in the answer instead.
    /// </summary>
    private static ProblemHttpResult? Outside(Caller caller, IReadOnlyList<RecordCategory> categories, IReadOnlyList<RegionPrefix> regions)
    {
        static ProblemHttpResult Refuse(string field, string detail) => TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden, title: "Outside the caller's agreement", detail: detail,
            extensions: new Dictionary<string, object?> { ["field"] = field });

        if (caller.Categories.Count == 0 || caller.Regions.Count == 0)
        {
            return Refuse("categories", $"The agreement of client '{caller.ClientId}' covers no personal records.");
        }

        var uncovered = categories.Where(c => !caller.Categories.Contains(c)).Select(c => c.Code).ToList();
        if (uncovered.Count > 0)
        {
            return Refuse("categories", $"The agreement of client '{caller.ClientId}' does not cover: {string.Join(", ", uncovered)}.");
        }

        if (regions.Count > 0 && !regions.Any(r => caller.Regions.Any(a => r.Value.StartsWith(a.Value, StringComparison.Ordinal) || a.Value.StartsWith(r.Value, StringComparison.Ordinal))))
        {
            return Refuse("regions", $"The agreement of client '{caller.ClientId}' covers archives in {string.Join(", ", caller.Regions.Select(r => r.Value))} only.");
        }

        return null;
    }
}

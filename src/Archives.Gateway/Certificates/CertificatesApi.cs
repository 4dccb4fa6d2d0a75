using System.Globalization;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Ledger;
using Archives.Gateway.OpenApi;
using Archives.Gateway.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Certificates;

/// <summary>
/// <c>/api/v1/certificates</c>: issue (at most once per idempotency key), read, print, revoke and
/// verify certificates; <c>/.well-known/certificate-keys</c>: the JWKS.
/// </summary>
internal static class CertificatesApi
{
    /// <summary>The policy of reads and prints: any of <c>certificates.issue</c>, <c>certificates.read</c>, <c>audit.read</c>.</summary>
    public const string ReaderPolicy = "certificate-reader";

    /// <summary>The policy of the day list: any of <c>certificates.issue</c>, <c>certificates.read</c>.</summary>
    public const string ListerPolicy = "certificate-lister";

    /// <summary>The policy of revocation: <c>certificates.revoke</c>, and at a hall the supervisor's role.</summary>
    public const string RevokerPolicy = "certificate-revoker";

    public static IEndpointRouteBuilder MapCertificatesApi(this IEndpointRouteBuilder app)
    {
        // One route group per policy: the group authorizes, and the handlers take the caller as it is.
        var certificates = app.MapGroup("/api/v1/certificates").WithTags("Certificates")
            .WithMetadata(new RequestSizeLimitAttribute(CertificateLimits.MaxRequestBodyBytes));
        var issuers = certificates.MapGroup("").RequireAuthorization(GatewayScopes.CertificatesIssue);
        // Public by design (anyone holding a certificate verifies it); the rate limit bounds code guessing.
        var verifiers = certificates.MapGroup("").AllowAnonymous().RequireRateLimiting(GatewayRateLimits.VerificationPolicy);
        var listers = certificates.MapGroup("").RequireAuthorization(ListerPolicy);
        // Which certificate a reader may see is decided per certificate (MayRead).
        var readers = certificates.MapGroup("").RequireAuthorization(ReaderPolicy);
        var revokers = certificates.MapGroup("").RequireAuthorization(RevokerPolicy).WithMetadata(SupervisorRequired.Instance);

        issuers.MapPost("/", IssueAsync)
            .WithName("IssueCertificate").WithIdempotencyKey().WithJsonBody(Examples.Issue).WithText(
                "出具档案查询证明", "Issue a certificate",
                "为一条民生档案出具档案查询证明（ES256 签名的 JWS），每个 Idempotency-Key 至多出证一次：刷新、重复点击、响应丢失后的重试均返回同一份证明。纸质档案须先调档时返回 202 和 Retry-After，之后用同一密钥、同一请求体重试。馆藏节点未应答时返回 503/504，未出证，可重试；出证账本数据库暂不可用时返回 503，用同一密钥、同一请求体重试。",
                "Issues a certificate (档案查询证明, an ES256-signed JWS) of one personal record, at most once per Idempotency-Key: a refreshed page, a double click or a retry after a lost response answers the same certificate. 202 with Retry-After while a paper record is retrieved; then retry with the same key and body. 503/504 when the holding archive did not answer: nothing was issued, and the same request may be retried; 503 when the certificate ledger's database is unavailable for a moment: retry with the same key and body.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        verifiers.MapPost("/verify", VerifyAsync)
            .WithName("VerifyCertificate").WithJsonBody(Examples.Verify).WithText(
                "核验证明", "Verify a certificate",
                "凭证明编号和核验码，或凭证明的 JWS，核验证明是否真实、未被篡改、未撤销、未过期。公开接口，限流。核验码错误与编号不存在的回答完全相同（unknown）。",
                "Verifies by number and verification code, or by the certificate's JWS, that a certificate is genuine, unchanged, not revoked and not expired. Public and rate-limited. A wrong code answers exactly as an unknown number (unknown).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        listers.MapGet("/", ListAsync)
            .WithName("ListCertificates").WithParameters<CertificateListParameters>(CertificateListParameters.Describe).WithText(
                "当日出证登记", "The day's certificates",
                "调用方自己出具的某一天（中国标准时间，默认今天）的证明，最新的在前，含状态、撤销和打印次数：只列出本客户端出具的证明；窗口工作人员只能看到本窗口（令牌中的 hall）的证明，指定其他窗口返回 403（field: hall）；无窗口的客户端可按 hall 筛选。用 nextCursor 翻页。每次读取登记于审计日志。",
                "The caller's own certificates of one day (China Standard Time, today by default), newest first, each with its status, revocation and print count: only those its client issued; a clerk sees only their own hall's (the token's hall), and naming another hall is a 403 (field: hall); a client without a hall may filter by hall. Page with nextCursor. Every read is registered in the audit log.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        readers.MapGet("/{number}", GetAsync)
            .WithName("GetCertificate").WithText(
                "查看证明", "Read a certificate",
                "证明的内容、JWS 和当前状态。出证客户端、同一窗口持 certificates.read 者或审计人员可见；其他人得到与编号不存在相同的 404。",
                "The certificate with its JWS and current status, for the issuing client, certificates.read in the same hall, or auditors; anyone else gets the same 404 as for a number that does not exist.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        readers.MapGet("/{number}/pdf", PdfAsync)
            .WithName("GetCertificatePdf").WithText(
                "打印证明（PDF）", "Print a certificate (PDF)",
                "A4 中文证明 PDF，附指向公开核验页的二维码；每次下载计为一次打印。",
                "The printable A4 PDF in Chinese, with a QR code to the public verification page; every download counts as a print.")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        revokers.MapPost("/{number}/revoke", RevokeAsync)
            .WithName("RevokeCertificate").WithJsonBody(Examples.Revoke).WithText(
                "撤销证明", "Revoke a certificate",
                "撤销一份证明并注明理由；再次撤销保留第一次撤销。窗口只有值班长（令牌含 certificates.revoke 且 archives_role 为 supervisor）可以撤销，且只能撤销本窗口出具的证明；普通窗口工作人员得到 403（须值班长）。运维客户端不受此限。",
                "Revokes a certificate with a reason; revoking again keeps the first revocation. At a hall only a supervisor (a clerk token with certificates.revoke and archives_role supervisor) revokes, and only certificates of their own hall; an ordinary clerk gets a 403 saying a supervisor is needed. Machine clients (operators) are not affected.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        app.MapGet("/.well-known/certificate-keys", KeysAsync).WithTags("Certificates").AllowAnonymous()
            .WithName("GetCertificateKeys").WithText(
                "证明签名公钥（JWKS）", "Certificate signing keys (JWKS)",
                "用于离线核验证明 JWS 的公钥集合（ES256）。遇到未知 kid 时重新获取。",
                "The public keys (ES256) that verify certificates' JWS offline. Fetch again on an unknown kid.");
        return app;
    }

    private static async Task<Results<Created<IssuedCertificate>, Accepted<RecordRetrieval>, ProblemHttpResult>> IssueAsync(
        [FromBody] CertificateRequest body, HttpContext context, Caller caller, CertificateIssuance issuance, TimeProvider time)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!CertificateRequests.TryReadIdempotencyKey(context.Request, out var key, out var keyError))
        {
            return CertificateRequests.Invalid(IdempotencyKey.Header, keyError);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (CertificateRequests.Validate(body, caller, time, errors) is not { } request)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Title = "The certificate request is not valid." });
        }

        var outcome = await issuance.IssueAsync(caller, key, request, context.RequestAborted);
        return ToResult(context, outcome);
    }

    /// <summary>The HTTP answer of an issuing outcome.</summary>
    internal static Results<Created<IssuedCertificate>, Accepted<RecordRetrieval>, ProblemHttpResult> ToResult(HttpContext context, IssueOutcome outcome)
    {
        switch (outcome)
        {
            case IssueOutcome.Issued issued:
                if (issued.Replayed)
                {
                    context.Response.Headers["Idempotent-Replayed"] = "true";
                }

                return TypedResults.Created($"/api/v1/certificates/{issued.Certificate.Certificate.Number}", issued.Certificate);
            case IssueOutcome.RetrievalPending pending:
                // Note: the key was released; the same request with the same key after Retry-After issues the certificate.
                context.Response.Headers.RetryAfter = pending.Retrieval.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Accepted((string?)null, pending.Retrieval);
            case IssueOutcome.InProgress busy:
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(busy.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A request with this Idempotency-Key is in progress",
                    detail: "Retry after the Retry-After delay; the first request's certificate will be returned.");
            case IssueOutcome.KeyReused:
                return CertificateRequests.FieldProblem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused with another body",
                    IdempotencyKey.Header, "This key was used with a different request body; use a new key for a new certificate.");
            case IssueOutcome.UnknownNode:
                return CertificateRequests.FieldProblem(StatusCodes.Status404NotFound, "Unknown node", "record.nodeId", "No archive node with this id is registered.");
            case IssueOutcome.RecordNotFound:
                return CertificateRequests.FieldProblem(StatusCodes.Status404NotFound, "Record not found", "record",
                    "The archive holds no record with this id for this subject.");
            case IssueOutcome.NotCovered:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not covered by the agreement",
                    detail: "The client's agreement does not cover records held at this archive.");
            case IssueOutcome.ProbableMatchNotConfirmed:
                return CertificateRequests.FieldProblem(StatusCodes.Status422UnprocessableEntity, "Probable match not confirmed", "probableMatchConfirmed",
                    "The record carries no ID number and matches on name and birth date only; a clerk confirms the match with probableMatchConfirmed: true.");
            case IssueOutcome.NodeUnavailable unavailable:
                return TypedResults.Problem(
                    statusCode: unavailable.Status == NodeStatus.Timeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status503ServiceUnavailable,
                    title: "The holding archive did not answer",
                    detail: $"The archive's node is {unavailable.Status.ToString().ToLowerInvariant()}; nothing was issued and the same request may be retried.");
            case IssueOutcome.SigningUnavailable:
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Certificate signing unavailable",
                    detail: "No signing key is available (Gateway:Certificates:KeyDirectory); nothing was issued.");
            default:
                throw new InvalidOperationException($"Unhandled outcome {outcome.GetType().Name}.");
        }
    }

    private static async Task<Results<Ok<CertificateListAnswer>, ValidationProblem, ProblemHttpResult>> ListAsync(
        [AsParameters] CertificateListParameters parameters, HttpContext context, Caller caller, LedgerDatabase db, IAuditTrail audit, TimeProvider time)
    {
        // Subject names of many citizens: no shared cache or proxy may keep the answer.
        context.Response.Headers.CacheControl = "no-store";
        if (!CertificateList.TryRead(parameters, caller, time, out var query, out var errors, out var otherHall))
        {
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors, title: "The list request is not valid.");
            }

            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Another hall's certificates",
                detail: $"A clerk sees only the certificates of their own hall ({caller.Hall}); leave 'hall' out or name that one.",
                extensions: new Dictionary<string, object?> { ["field"] = "hall" });
        }

        var (page, next) = await CertificateList.ReadAsync(db, caller, query, context.RequestAborted);
        // 档案利用登记: the list shows subjects' names, so its read is registered before it leaves (a 503 when it cannot be).
        await audit.AppendAsync(CertificateList.Registration(caller, query, page.Count));
        var now = time.GetUtcNow();
        return TypedResults.Ok(new CertificateListAnswer { Certificates = [.. page.Select(e => CertificateView.Of(e, now))], NextCursor = next });
    }

    private static async Task<Results<Ok<IssuedCertificate>, ProblemHttpResult>> GetAsync(
        string number, HttpContext context, Caller caller, LedgerDatabase db, ICertificateAudit audit, TimeProvider time)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await FindReadableAsync(number, caller, db, context.RequestAborted) is not { } entry)
        {
            return NotFound();
        }

        await audit.RecordAsync(new CertificateAuditEvent(CertificateAction.Read, caller, entry.Number, entry.NodeId), context.RequestAborted);
        return TypedResults.Ok(CertificateView.Of(entry, time.GetUtcNow()));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PdfAsync(
        string number, HttpContext context, Caller caller, LedgerDatabase db, LedgerWriter writer, CertificateFont font, ICertificateAudit audit, TimeProvider time,
        Microsoft.Extensions.Options.IOptions<CertificateOptions> options)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await FindReadableAsync(number, caller, db, context.RequestAborted) is not { } entry)
        {
            return NotFound();
        }

        if (!font.Available)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "PDF printing unavailable", detail: font.Problem);
        }

        var now = time.GetUtcNow();
        var certificate = CertificateSigner.Deserialize(entry.PayloadJson);
        var pdf = CertificatePdf.Render(certificate, entry.KeyId, VerificationPage.Link(context.Request, options.Value, certificate), CertificateView.StatusOf(entry, now));

        // Counted and registered in one transaction before it is served: a print the audit log cannot register
        // is neither served nor counted. Every print is counted, atomically, whatever the number of instances.
        await writer.WriteAsync(async batch =>
        {
            await batch.Ledger.Certificates.Where(c => c.Number == entry.Number)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.PrintCount, c => c.PrintCount + 1).SetProperty(c => c.LastPrintedAt, now.UtcDateTime));
            await audit.RecordAsync(batch, new CertificateAuditEvent(CertificateAction.Printed, caller, entry.Number, entry.NodeId));
            return true;
        });
        return TypedResults.File(pdf, "application/pdf", $"{entry.Number}.pdf");
    }

    private static async Task<Results<Ok<IssuedCertificate>, ProblemHttpResult>> RevokeAsync(
        string number, [FromBody] CertificateRevocationRequest body, HttpContext context, Caller caller, LedgerDatabase db, LedgerWriter writer,
        ICertificateAudit audit, TimeProvider time)
    {
        context.Response.Headers.CacheControl = "no-store";
        var reason = body.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > CertificateLimits.MaxReasonLength || reason.Any(char.IsControl))
        {
            return CertificateRequests.Invalid("reason", $"'reason' is required: 1 to {CertificateLimits.MaxReasonLength} characters.");
        }

        var wanted = number.Trim().ToUpperInvariant();
        var entry = CertificateNumbers.IsWellFormedNumber(wanted)
            ? await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Number == wanted, context.RequestAborted)
            : null;
        // A clerk revokes only within their hall; operators (no hall) anywhere.
        if (entry is null || (caller.Hall is { } hall && entry.Hall != hall.Value))
        {
            return NotFound();
        }

        var now = time.GetUtcNow().UtcDateTime;
        // The first revocation stands; revoking again answers the certificate as it is.
        await writer.WriteAsync(async batch =>
        {
            var revoked = await batch.Ledger.Certificates.Where(c => c.Number == entry.Number && c.RevokedAt == null)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.RevokedAt, now)
                    .SetProperty(c => c.RevocationReason, reason)
                    .SetProperty(c => c.RevokedBy, caller.ClerkId ?? caller.ClientId));
            if (revoked == 1)
            {
                // The revocation and its registration commit together.
                await audit.RecordAsync(batch, new CertificateAuditEvent(CertificateAction.Revoked, caller, entry.Number, entry.NodeId));
            }

            return revoked;
        });

        var current = await db.Certificates.AsNoTracking().SingleAsync(c => c.Number == entry.Number, CancellationToken.None);
        return TypedResults.Ok(CertificateView.Of(current, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<CertificateVerification>, ProblemHttpResult>> VerifyAsync(
        [FromBody] CertificateVerificationRequest body, HttpContext context, CertificateVerifier verifier, ICertificateAudit audit)
    {
        context.Response.Headers.CacheControl = "no-store";
        CertificateVerification answer;
        if (!string.IsNullOrWhiteSpace(body.Jws))
        {
            if (body.Number is not null || body.Code is not null)
            {
                return CertificateRequests.Invalid("jws", "Give either 'jws', or 'number' and 'code'.");
            }

            if (body.Jws.Length > CertificateLimits.MaxJwsLength)
            {
                return CertificateRequests.Invalid("jws", $"'jws' has at most {CertificateLimits.MaxJwsLength} characters.");
            }

            answer = await verifier.ByJwsAsync(body.Jws, context.RequestAborted);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(body.Number) || body.Number.Length > 64)
            {
                return CertificateRequests.Invalid("number", "'number' (with 'code'), or 'jws', is required.");
            }

            if (string.IsNullOrWhiteSpace(body.Code) || body.Code.Length > 64)
            {
                return CertificateRequests.Invalid("code", "'code' (the verification code printed on the certificate) is required with 'number'.");
            }

            answer = await verifier.ByCodeAsync(body.Number, body.Code, context.RequestAborted);
        }

        await audit.RecordAsync(new CertificateAuditEvent(CertificateAction.Verified, Caller.From(context.User), answer.Certificate?.Number, Outcome: CertificateOutcomeCodes.Of(answer.Status)), CancellationToken.None);
        return TypedResults.Ok(answer);
    }

    private static async Task<Ok<PublicJwks>> KeysAsync(HttpContext context, CertificateKeyStore keys)
    {
        // Verifiers may cache the set; a certificate with an unknown kid is their cue to fetch it again.
        context.Response.Headers.CacheControl = "public, max-age=300";
        var published = await keys.GetPublishedAsync(context.RequestAborted);
        return TypedResults.Ok(new PublicJwks([.. published.Select(PublicJwk.From)]));
    }

    /// <summary>
    /// The certificate when the caller may read it: the issuing client (a clerk only within their hall),
    /// <c>certificates.read</c> within the same hall, or an auditor (<c>audit.read</c>). Note: anyone else
    /// gets exactly the answer for a number that does not exist.
    /// </summary>
    private static async Task<CertificateEntry?> FindReadableAsync(string number, Caller caller, LedgerDatabase db, CancellationToken cancellationToken)
    {
        var wanted = number.Trim().ToUpperInvariant();
        if (!CertificateNumbers.IsWellFormedNumber(wanted))
        {
            return null;
        }

        var entry = await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Number == wanted, cancellationToken);
        return entry is not null && MayRead(caller, entry) ? entry : null;
    }

    internal static bool MayRead(Caller caller, CertificateEntry entry)
    {
        var sameHall = caller.Hall is { } hall && entry.Hall == hall.Value;
        var issuingClient = entry.ClientId == caller.ClientId && (caller.Hall is null || sameHall)
            && (caller.HasScope(GatewayScopes.CertificatesIssue) || caller.HasScope(GatewayScopes.CertificatesRead));
        return issuingClient
            || (sameHall && caller.HasScope(GatewayScopes.CertificatesRead))
            || caller.HasScope(GatewayScopes.AuditRead);
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Certificate not found",
        detail: "No certificate with this number is visible to this client.");
}

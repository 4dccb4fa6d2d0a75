using Refit;

namespace Archives.Contracts;

/// <summary>
/// The gateway's certificate API, version 1 (<c>/api/v1/certificates</c>). Issuing, reading,
/// printing and revoking need a bearer token from Archives.Identity with the scope named on each
/// method; verification is public. Errors are <c>application/problem+json</c> (RFC 9457).
/// </summary>
public interface ICertificatesApi
{
    /// <summary>
    /// Issues a certificate (scope <c>certificates.issue</c>). 201 with the certificate; 202 with a
    /// <see cref="RecordRetrieval"/> and <c>Retry-After</c> while the paper record is retrieved (send
    /// the same request with the same key again then); 409 while a request with the same key is in
    /// progress; 422 when the key was used with another body. A retry with the same key and body
    /// answers the same certificate with the header <c>Idempotent-Replayed: true</c>.
    /// </summary>
    /// <param name="idempotencyKey">
    /// A fresh unique value (a UUID) per certificate wanted; the same on every retry. At most 255
    /// characters. Null lets the SDK's handler (<c>AddArchivesGatewayClient</c>) choose one, which it
    /// keeps across its own retries; pass your own to retry across restarts of your app.
    /// </param>
    /// <param name="request">What to certify, for whom, why.</param>
    /// <param name="cancellationToken">Cancels the call (the certificate may still be issued; retry with the same key).</param>
    [Post("/api/v1/certificates")]
    Task<IApiResponse<IssuedCertificate>> IssueAsync([Header("Idempotency-Key")] string? idempotencyKey, [Body] CertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The caller's own certificates of one day, newest first (scope <c>certificates.issue</c> or
    /// <c>certificates.read</c>): those its client issued, and for a clerk only those of their own hall.
    /// </summary>
    [Get("/api/v1/certificates")]
    Task<CertificateListAnswer> ListAsync([Query] CertificateListQuery query, CancellationToken cancellationToken = default);

    /// <summary>A certificate with its JWS and status (the issuing client, <c>certificates.read</c> in the same hall, or <c>audit.read</c>).</summary>
    [Get("/api/v1/certificates/{number}")]
    Task<IssuedCertificate> GetAsync(string number, CancellationToken cancellationToken = default);

    /// <summary>The printable A4 PDF; every call counts as a print.</summary>
    [Get("/api/v1/certificates/{number}/pdf")]
    Task<HttpContent> GetPdfAsync(string number, CancellationToken cancellationToken = default);

    /// <summary>Revokes a certificate (scope <c>certificates.revoke</c>); revoking again keeps the first revocation.</summary>
    [Post("/api/v1/certificates/{number}/revoke")]
    Task<IssuedCertificate> RevokeAsync(string number, [Body] CertificateRevocationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Verifies a certificate by number and code, or by its JWS (public, rate-limited).</summary>
    [Post("/api/v1/certificates/verify")]
    Task<CertificateVerification> VerifyAsync([Body] CertificateVerificationRequest request, CancellationToken cancellationToken = default);
}

/// <summary>The query of <c>GET /api/v1/certificates</c>; every part is optional.</summary>
public sealed record CertificateListQuery
{
    /// <summary>The day of issue in China Standard Time, <c>yyyy-MM-dd</c>; today by default.</summary>
    [AliasAs("day")]
    public string? Day { get; init; }

    /// <summary>Only this hall's certificates (a division code); a clerk's own hall is implied and no other may be named.</summary>
    [AliasAs("hall")]
    public string? Hall { get; init; }

    /// <summary>The <see cref="CertificateListAnswer.NextCursor"/> of the previous page.</summary>
    [AliasAs("cursor")]
    public string? Cursor { get; init; }

    /// <summary>Page size, 1 to 100 (default 50).</summary>
    [AliasAs("limit")]
    public int? Limit { get; init; }
}

namespace Archives.Gateway.Access;

/// <summary>
/// The scopes of the gateway API (DESIGN.md, "Scopes"). Each is also the name of the
/// authorization policy that requires it, so an endpoint says
/// <c>.RequireAuthorization(GatewayScopes.CertificatesIssue)</c>.
/// </summary>
public static class GatewayScopes
{
    /// <summary>Search the open catalogue (开放档案目录) beyond the anonymous rate.</summary>
    public const string CatalogRead = "catalog.read";

    /// <summary>Search one subject's personal records (民生档案).</summary>
    public const string RecordsSearch = "records.search";

    /// <summary>Issue certificates (档案查询证明).</summary>
    public const string CertificatesIssue = "certificates.issue";

    /// <summary>Read certificates issued by the caller, or within the caller's hall.</summary>
    public const string CertificatesRead = "certificates.read";

    public const string CertificatesRevoke = "certificates.revoke";

    /// <summary>Read and verify the audit log (档案利用登记).</summary>
    public const string AuditRead = "audit.read";

    public const string Audience = "archives-gateway";
}

using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Certificates;

internal static class CertificatesExtensions
{
    /// <summary>
    /// Signing keys, evidence from nodes, at-most-once issuing, PDF and verification, on the ledger (<c>AddLedger</c>)
    /// and registered in the audit log through <see cref="ICertificateAudit"/>. The verification rate limit is the
    /// rate-limit feature's (<c>AddGatewayRateLimits</c>).
    /// </summary>
    public static WebApplicationBuilder AddCertificates(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CertificateOptions>()
            .BindConfiguration(CertificateOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<CertificateOptions>, CertificateOptionsDefaults>();

        services.AddSingleton<ICertificateAudit, CertificateAuditTrail>();
        services.AddSingleton<CertificateKeyStore>();
        services.AddSingleton<CertificateSigner>();
        services.AddSingleton<CertificateFont>();
        services.AddSingleton<EvidenceSource>();
        services.AddSingleton<IssueDecider>();
        services.AddSingleton<CertificateIssuance>();
        services.AddSingleton<CertificateVerifier>();
        services.AddHostedService<CertificatesStartup>();
        services.AddHostedService<CertificatesMaintenance>();
        services.AddHealthChecks().AddCheck<CertificatesHealthCheck>("certificates", tags: [GatewayDefaults.ReadyTag]);
        services.AddRequestBodies(typeof(CertificateRequest), typeof(CertificateRevocationRequest), typeof(CertificateVerificationRequest));

        // Readers: the issuing client (issue scope), readers (read scope) and auditors; MayRead decides per certificate.
        services.AddAuthorizationBuilder().AddPolicy(CertificatesApi.ReaderPolicy, policy => policy
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead, GatewayScopes.AuditRead)));
        // The day list: the caller's own certificates only, so auditors (who read any one certificate) have the audit log instead.
        services.AddAuthorizationBuilder().AddPolicy(CertificatesApi.ListerPolicy, policy => policy
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead)));
        // The scope alone is not enough for a clerk: the identity server grants it to supervisors only, and the role is
        // required as well, so that a misconfigured client grant cannot let every clerk revoke. Operators have no hall.
        services.AddAuthorizationBuilder().AddPolicy(CertificatesApi.RevokerPolicy, policy => policy
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(GatewayScopes.CertificatesRevoke))
            .RequireAssertion(context => Caller.From(context.User) is { } caller && (caller.ClerkId is null || caller.IsSupervisor)));

        return builder;
    }
}

using System.Reflection;
using Archives.Gateway.Access;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Archives.Gateway.OpenApi;

/// <summary>
/// The OAuth2 security scheme: client credentials for machines and the authorization code flow with PKCE for
/// clerks, with the endpoints of the discovery document JwtBearer validates tokens with, and every scope.
/// </summary>
internal sealed class OAuthSecurity(IOptionsMonitor<JwtBearerOptions> jwt) : IOpenApiDocumentTransformer
{
    public const string SchemeName = "oauth2";

    /// <summary>Bilingual descriptions of the scopes; the scopes themselves are <see cref="GatewayScopes"/>' constants.</summary>
    private static readonly Dictionary<string, string> ScopeText = new(StringComparer.Ordinal)
    {
        [GatewayScopes.CatalogRead] = "检索开放档案目录（高于匿名限额） · Search the open catalogue beyond the anonymous rate",
        [GatewayScopes.RecordsSearch] = "检索查档对象的民生档案（限协议范围） · Search one subject's personal records, within the client's agreement",
        [GatewayScopes.CertificatesIssue] = "出具档案查询证明 · Issue certificates",
        [GatewayScopes.CertificatesRead] = "查看本窗口或本客户端出具的证明 · Read certificates of the caller's hall or client",
        [GatewayScopes.CertificatesRevoke] = "撤销证明 · Revoke certificates",
        [GatewayScopes.AuditRead] = "查阅档案利用登记（审计日志）与运维操作 · Read the audit log; operator actions",
    };

    /// <summary>Every scope of the gateway API: the string constants of <see cref="GatewayScopes"/> but its audience.</summary>
    public static IReadOnlyList<string> Scopes { get; } = [.. typeof(GatewayScopes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.Name != nameof(GatewayScopes.Audience))
        .Select(f => (string)f.GetRawConstantValue()!)];

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var options = jwt.Get(JwtBearerDefaults.AuthenticationScheme);
        Uri? tokenUrl = null, authorizationUrl = null;
        if (options.ConfigurationManager is { } discovery)
        {
            try
            {
                var configuration = await discovery.GetConfigurationAsync(cancellationToken);
                tokenUrl = new Uri(configuration.TokenEndpoint);
                authorizationUrl = new Uri(configuration.AuthorizationEndpoint);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
            {
                // The document is still served without flows' addresses rather than not at all.
            }
        }

        var scopes = Scopes.ToDictionary(s => s, s => ScopeText.GetValueOrDefault(s, s), StringComparer.Ordinal);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = """
                Archives.Identity（OpenIddict）签发的访问令牌，受众 archives-gateway。机器客户端（合作档案馆、政务 App）用客户端凭证模式；窗口工作人员用授权码模式并须使用 PKCE（S256）。

                Access tokens of Archives.Identity (OpenIddict) for audience archives-gateway: machine clients (partner archives, government apps) use client credentials; service-hall clerks use the authorization code flow with PKCE (S256, required).
                """,
            Flows = new OpenApiOAuthFlows
            {
                ClientCredentials = new OpenApiOAuthFlow { TokenUrl = tokenUrl, Scopes = scopes },
                AuthorizationCode = new OpenApiOAuthFlow
                {
                    AuthorizationUrl = authorizationUrl,
                    TokenUrl = tokenUrl,
                    Scopes = scopes,
                },
            },
        };
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Archives.Gateway.OpenApi;

/// <summary>
/// Each operation's security requirements and 401/403/429 answers, derived from the endpoint's own
/// authorization policies: each policy is evaluated for an anonymous caller, for a token without
/// scopes and for a token with each single scope, so whatever a policy asserts the document says
/// exactly who passes, and a policy changed in code changes the document (and fails the snapshot test).
/// </summary>
internal sealed class OperationSecurity(IAuthorizationPolicyProvider policies, IAuthorizationService authorization) : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            Problems.Add(operation, StatusCodes.Status429TooManyRequests, "请求过于频繁，请按 Retry-After 稍后重试 · Too many requests: retry after Retry-After");
        }

        if (metadata.OfType<IAllowAnonymous>().Any()
            || await AuthorizationPolicy.CombineAsync(policies, [.. metadata.OfType<IAuthorizeData>()], [.. metadata.OfType<AuthorizationPolicy>()]) is not { } policy)
        {
            operation.Security = [new OpenApiSecurityRequirement()]; // {}: public, said explicitly
            return;
        }

        var anonymous = await PassesAsync(policy, new ClaimsIdentity());
        var anyToken = await PassesAsync(policy, Token());
        List<string> scopes = [];
        foreach (var scope in OAuthSecurity.Scopes)
        {
            if (!anyToken && await PassesAsync(policy, Token(scope)))
            {
                scopes.Add(scope);
            }
        }

        var scheme = new OpenApiSecuritySchemeReference(OAuthSecurity.SchemeName, context.Document);
        operation.Security = [];
        if (anonymous)
        {
            operation.Security.Add(new OpenApiSecurityRequirement()); // {}: no token at all is fine
        }

        if (anyToken)
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [scheme] = [] });
        }

        foreach (var scope in scopes)
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [scheme] = [scope] });
        }

        Problems.Add(operation, StatusCodes.Status401Unauthorized, anonymous
            ? "发送的令牌无效或已过期（可不带令牌调用） · The token sent is not valid (calling without one is allowed)"
            : "缺少有效的访问令牌 · No valid access token");
        if (!anyToken)
        {
            Problems.Add(operation, StatusCodes.Status403Forbidden,
                $"令牌缺少所需权限范围（WWW-Authenticate 中注明） · The token lacks the scope needed (named in WWW-Authenticate): {string.Join(" or ", scopes)}");
        }
    }

    private async Task<bool> PassesAsync(AuthorizationPolicy policy, ClaimsIdentity identity)
        => (await authorization.AuthorizeAsync(new ClaimsPrincipal(identity), resource: null, policy)).Succeeded;

    private static ClaimsIdentity Token(params string[] scopes)
        => new([new Claim("client_id", "openapi"), .. scopes.Select(s => new Claim("scope", s))], JwtBearerDefaults.AuthenticationScheme);
}

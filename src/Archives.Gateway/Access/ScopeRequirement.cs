using Microsoft.AspNetCore.Authorization;

namespace Archives.Gateway.Access;

/// <summary>
/// The token's <c>scope</c> holds at least one of <see cref="AnyOf"/>; with <see cref="AnonymousAllowed"/>, a
/// caller who sent no token passes too. A requirement rather than an assertion so that a 403 can name the
/// scopes the endpoint needs (<c>WWW-Authenticate: Bearer … scope="…"</c>), whatever the policy is called.
/// </summary>
internal sealed class ScopeRequirement(params string[] anyOf) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public IReadOnlyList<string> AnyOf { get; } = anyOf;

    /// <summary>Callers without a token pass (the open catalogue); a token that is sent must hold a scope.</summary>
    public bool AnonymousAllowed { get; init; }

    public bool IsMetBy(System.Security.Claims.ClaimsPrincipal user) => AnyOf.Any(scope => AccessExtensions.HasScope(user, scope));

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var authenticated = context.User.Identity?.IsAuthenticated == true;
        var sentToken = context.Resource is HttpContext http && http.Request.Headers.Authorization.Count > 0;
        if (authenticated ? requirement.IsMetBy(context.User) : requirement.AnonymousAllowed && !sentToken)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

using System.Security.Claims;
using Archives.Identity.Clerks;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Archives.Identity.Connect;

/// <summary>
/// The OpenID Connect endpoints whose answer is ours to decide (OpenIddict passthrough):
/// authorization, token, end session and user info. OpenIddict has validated the request
/// (client, secret, redirect URI, PKCE, scopes the client may ask for) before a handler runs.
/// Discovery, JWKS, introspection and revocation are OpenIddict's own.
/// </summary>
internal static class ConnectApi
{
    private const string ServerScheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("connect").ExcludeFromDescription();
        connect.MapMethods("authorize", [HttpMethods.Get, HttpMethods.Post], Authorize);
        connect.MapPost("token", Token);
        // Cast: a handler taking only HttpContext would otherwise bind as a RequestDelegate and drop its result.
        connect.MapMethods("endsession", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSession);
        connect.MapMethods("userinfo", [HttpMethods.Get, HttpMethods.Post], UserInfo);
        return app;
    }

    /// <summary>Authorization code flow: a signed-in clerk gets a code for the service hall; anyone else is sent to sign in.</summary>
    public static async Task<Results<SignInHttpResult, ChallengeHttpResult, ForbidHttpResult>> Authorize(
        HttpContext context, IOpenIddictApplicationManager applications, IOpenIddictScopeManager scopes, ClerkSignIn clerks, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var session = await context.AuthenticateAsync(ClerkCookie.Scheme);
        var subject = session.Principal?.FindFirstValue(Claims.Subject);
        var clerk = subject is null ? null : await clerks.FindActiveAsync(subject, cancellationToken);
        var tooOld = request.MaxAge is { } maxAge && session.Properties?.IssuedUtc is { } issued
            && time.GetUtcNow() - issued > TimeSpan.FromSeconds(maxAge);

        if (clerk is null || tooOld || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The clerk is not signed in.");
            }

            // Back here after signing in, without prompt=login so that it does not ask again.
            var parameters = (context.Request.HasFormContentType ? context.Request.Form.ToList() : context.Request.Query.ToList())
                .Where(p => p.Key != Parameters.Prompt)
                .ToList();
            var prompts = request.GetPromptValues().Remove(PromptValues.Login);
            if (!prompts.IsEmpty)
            {
                parameters.Add(new(Parameters.Prompt, string.Join(' ', prompts)));
            }

            return TypedResults.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters) },
                [ClerkCookie.Scheme]);
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken)
            ?? throw new InvalidOperationException("The client has been validated but cannot be found.");
        var identity = await TokenClaims.ForClerkAsync(clerk, applications, application, cancellationToken);
        // Note: a scope that needs a role the clerk lacks (certificates.revoke) is dropped here, so
        // neither the code nor the refresh tokens made from it ever carry it.
        var granted = ClerkRoles.Grantable(clerk, request.GetScopes());
        return TypedResults.SignIn(await TokenClaims.CompleteAsync(identity, granted, scopes, cancellationToken), authenticationScheme: ServerScheme);
    }

    /// <summary>Token endpoint: client credentials for machines; code and refresh token for clerks, checked against the store again.</summary>
    public static async Task<Results<SignInHttpResult, ForbidHttpResult>> Token(
        HttpContext context, IOpenIddictApplicationManager applications, IOpenIddictScopeManager scopes, ClerkSignIn clerks, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var application = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken)
            ?? throw new InvalidOperationException("The client has been validated but cannot be found.");

        if (request.IsClientCredentialsGrantType())
        {
            var identity = await TokenClaims.ForClientAsync(applications, application, cancellationToken);
            return TypedResults.SignIn(await TokenClaims.CompleteAsync(identity, request.GetScopes(), scopes, cancellationToken), authenticationScheme: ServerScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token was validated by OpenIddict; its principal holds the granted scopes.
            var granted = (await context.AuthenticateAsync(ServerScheme)).Principal;
            var subject = granted?.GetClaim(Claims.Subject);
            var clerk = subject is null ? null : await clerks.FindActiveAsync(subject, cancellationToken);
            if (clerk is null)
            {
                // Note: a clerk removed from the clerks file loses access at the next refresh, not at the refresh token's expiry.
                return Forbid(Errors.InvalidGrant, "The clerk may no longer sign in.");
            }

            // Rebuilt from the store, so that a changed hall, role or agreement holds from the next
            // refresh on. Note: a supervisor demoted since keeps no role-bound scope; one promoted
            // since gains none until signing in again, since the grant never held it.
            var identity = await TokenClaims.ForClerkAsync(clerk, applications, application, cancellationToken);
            var grantable = ClerkRoles.Grantable(clerk, granted!.GetScopes());
            return TypedResults.SignIn(await TokenClaims.CompleteAsync(identity, grantable, scopes, cancellationToken), authenticationScheme: ServerScheme);
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    /// <summary>Signs the clerk out here, then OpenIddict returns to the client's registered post-logout address.</summary>
    public static async Task<SignOutHttpResult> EndSession(HttpContext context)
    {
        await context.SignOutAsync(ClerkCookie.Scheme);
        return TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [ServerScheme]);
    }

    /// <summary>The signed-in clerk's profile, for clients that read it from user info rather than the identity token.</summary>
    public static async Task<Results<Ok<Dictionary<string, string>>, ChallengeHttpResult>> UserInfo(HttpContext context, ClerkSignIn clerks, CancellationToken cancellationToken)
    {
        var principal = (await context.AuthenticateAsync(ServerScheme)).Principal;
        var subject = principal?.GetClaim(Claims.Subject);
        var clerk = subject is null ? null : await clerks.FindActiveAsync(subject, cancellationToken);
        if (clerk is null)
        {
            return TypedResults.Challenge(Error(Errors.InvalidToken, "The token does not belong to an active clerk."), [ServerScheme]);
        }

        var claims = new Dictionary<string, string>(StringComparer.Ordinal) { [Claims.Subject] = clerk.Subject };
        if (principal!.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = clerk.DisplayName;
            claims[Claims.PreferredUsername] = clerk.UserName;
            claims[TokenClaims.Hall] = clerk.Hall;
        }

        if (clerk.Role is { } role)
        {
            claims[TokenClaims.Role] = role;
        }

        return TypedResults.Ok(claims);
    }

    /// <summary>
    /// The page a browser sees when OpenIddict refuses an authorization or end-session request
    /// it cannot send back to the client (unknown client, wrong redirect URI, missing PKCE):
    /// plain text naming the OAuth error, so the clerk or developer sees what is wrong.
    /// </summary>
    public static async Task WriteErrorPageAsync(StatusCodeContext context)
    {
        var response = context.HttpContext.GetOpenIddictServerResponse();
        context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
        var text = response?.Error is { } error
            ? $"请求无效 / The request is invalid.\n\nerror: {error}\nerror_description: {response.ErrorDescription}\n"
            : $"{context.HttpContext.Response.StatusCode}\n";
        await context.HttpContext.Response.WriteAsync(text, context.HttpContext.RequestAborted);
    }

    private static ForbidHttpResult Forbid(string error, string description) =>
        TypedResults.Forbid(Error(error, description), [ServerScheme]);

    private static AuthenticationProperties Error(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}

using System.Security.Claims;
using System.Text.Json;
using Archives.Identity.Clerks;
using Archives.Identity.Clients;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Archives.Identity.Connect;

/// <summary>
/// What tokens say, for the resource servers (gateway, nodes) that read them. Besides the
/// standard <c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, <c>client_id</c> and <c>scope</c>:
/// </summary>
internal static class TokenClaims
{
    /// <summary>GB/T 2260 division code of the signed-in clerk's service hall.</summary>
    public const string Hall = "hall";

    /// <summary>The clerk's role (<c>supervisor</c>); absent for an ordinary clerk.</summary>
    public const string Role = "archives_role";

    /// <summary>Record categories the client's agreement covers, space-separated (absent: none).</summary>
    public const string Categories = "archives_categories";

    /// <summary>Division-code prefixes of the archives the client's agreement covers, space-separated (absent: none).</summary>
    public const string Regions = "archives_regions";

    public static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    /// <summary>The client as the subject of its own token (client credentials).</summary>
    public static async Task<ClaimsIdentity> ForClientAsync(IOpenIddictApplicationManager applications, object application, CancellationToken cancellationToken)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, await applications.GetClientIdAsync(application, cancellationToken));
        identity.SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application, cancellationToken));
        await AddAgreementAsync(identity, applications, application, cancellationToken);
        return identity;
    }

    /// <summary>A clerk working through a client (authorization code, refresh token).</summary>
    public static async Task<ClaimsIdentity> ForClerkAsync(Clerk clerk, IOpenIddictApplicationManager applications, object application, CancellationToken cancellationToken)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, clerk.Subject);
        identity.SetClaim(Claims.Name, clerk.DisplayName);
        identity.SetClaim(Claims.PreferredUsername, clerk.UserName);
        identity.SetClaim(Hall, clerk.Hall);
        if (clerk.Role is { } role)
        {
            identity.SetClaim(Role, role);
        }

        await AddAgreementAsync(identity, applications, application, cancellationToken);
        return identity;
    }

    /// <summary>Sets scopes, the audiences their resources name, and every claim's destinations.</summary>
    public static async Task<ClaimsPrincipal> CompleteAsync(ClaimsIdentity identity, IEnumerable<string> scopes, IOpenIddictScopeManager scopeManager, CancellationToken cancellationToken)
    {
        identity.SetScopes(scopes);
        identity.SetResources(await scopeManager.ListResourcesAsync(identity.GetScopes(), cancellationToken).ToListAsync(cancellationToken));
        identity.SetDestinations(DestinationsOf);
        return new ClaimsPrincipal(identity);
    }

    private static async Task AddAgreementAsync(ClaimsIdentity identity, IOpenIddictApplicationManager applications, object application, CancellationToken cancellationToken)
    {
        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        foreach (var (property, claim) in new[] { (ClientSync.CategoriesProperty, Categories), (ClientSync.RegionsProperty, Regions) })
        {
            if (properties.TryGetValue(property, out var value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0)
            {
                identity.SetClaim(claim, string.Join(' ', value.EnumerateArray().Select(v => v.GetString())));
            }
        }
    }

    /// <summary>
    /// Note: a claim goes only where it is listed here; anything else stays out of every token.
    /// The identity token (for the signed-in app itself) gets the clerk's profile only with the
    /// <c>profile</c> scope; the role always, since the hall shows or hides what the role allows.
    /// </summary>
    private static IEnumerable<string> DestinationsOf(Claim claim) => claim.Type switch
    {
        Role => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.Name or Claims.PreferredUsername or Hall when claim.Subject?.HasScope(Scopes.Profile) == true
            => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.Name or Claims.PreferredUsername or Hall or Categories or Regions => [Destinations.AccessToken],
        _ => [],
    };
}

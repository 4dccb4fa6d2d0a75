using System.Security.Claims;
using Archives.Contracts;

namespace Archives.Gateway.Access;

/// <summary>
/// The authenticated caller as the gateway's features see it, read from the access token issued
/// by Archives.Identity (claims documented in src/Archives.Identity/README.md): the client, the
/// clerk and hall when a clerk signed in, the scopes, and the agreement's categories and regions.
/// </summary>
/// <param name="ClientId">The OAuth2 client (<c>service-hall</c>, <c>zheliban</c>, <c>partner-shanghai</c>…).</param>
/// <param name="ClerkId">The clerk's stable id when a clerk signed in; null for machine clients.</param>
/// <param name="ClerkName">The clerk's name, for the audit log.</param>
/// <param name="Hall">The division code of the clerk's service hall (办事大厅), when a clerk signed in.</param>
/// <param name="Scopes">The token's scopes.</param>
/// <param name="Categories">Record categories the client's agreement covers; empty means none.</param>
/// <param name="Regions">Division-code prefixes of archives the agreement covers; empty means none.</param>
public sealed record Caller(
    string ClientId,
    string? ClerkId,
    string? ClerkName,
    DivisionCode? Hall,
    IReadOnlySet<string> Scopes,
    IReadOnlySet<RecordCategory> Categories,
    IReadOnlyList<RegionPrefix> Regions)
{
    public bool HasScope(string scope) => Scopes.Contains(scope);

    /// <summary>Whether the agreement covers a category of records held at an archive of this division.</summary>
    public bool MayUse(RecordCategory category, DivisionCode holdingArchive)
        => Categories.Contains(category) && Regions.Any(holdingArchive.IsWithin);

    /// <summary>Reads the caller from an authenticated principal; null when it is anonymous or has no client id.</summary>
    public static Caller? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true || user.FindFirst("client_id")?.Value is not { Length: > 0 } clientId)
        {
            return null;
        }

        var sub = user.FindFirst("sub")?.Value;
        var hall = user.FindFirst("hall")?.Value is { } code && DivisionCode.TryParse(code, out var division, out _) ? division : null;
        return new Caller(
            clientId,
            hall is null ? null : sub,
            hall is null ? null : user.FindFirst("name")?.Value,
            hall,
            Words(user, "scope").ToHashSet(StringComparer.Ordinal),
            Words(user, "archives_categories").Select(c => RecordCategory.TryParse(c, out var category, out _) ? category : null).OfType<RecordCategory>().ToHashSet(),
            [.. Words(user, "archives_regions").Select(r => RegionPrefix.TryParse(r, out var region, out _) ? region : null).OfType<RegionPrefix>()]);
    }

    private static IEnumerable<string> Words(ClaimsPrincipal user, string claim)
        => user.FindAll(claim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

using System.Security.Claims;
using Archives.Contracts;

namespace Archives.Gateway.Access;

/// <summary>
/// The authenticated caller, read from the access token of Archives.Identity (claims in
/// src/Archives.Identity/README.md): the client, the clerk and the hall (办事大厅) when a clerk signed in (null for
/// machine clients), the scopes, and the record categories and regions the agreement covers (empty: none).
/// </summary>
public sealed record Caller(
    string ClientId,
    string? ClerkId,
    string? ClerkName,
    DivisionCode? Hall,
    IReadOnlySet<string> Scopes,
    IReadOnlySet<RecordCategory> Categories,
    IReadOnlyList<RegionPrefix> Regions)
{
    /// <summary>The role of a supervisor clerk (值班长), who alone may revoke certificates at a hall.</summary>
    public const string SupervisorRole = "supervisor";

    /// <summary>The clerk's role (the <c>archives_role</c> claim) when a clerk signed in; null for an ordinary clerk and for machine clients.</summary>
    public string? Role { get; init; }

    public bool IsSupervisor => ClerkId is not null && Role == SupervisorRole;

    public bool HasScope(string scope) => Scopes.Contains(scope);

    /// <summary>Whether the agreement covers a category of records held at an archive of this division.</summary>
    public bool MayUse(RecordCategory category, DivisionCode holdingArchive)
        => Categories.Contains(category) && Regions.Any(holdingArchive.IsWithin);

    /// <summary>
    /// Binds a handler's <see cref="Caller"/> parameter: the route group's policy has authenticated the request, so the
    /// handler takes the caller and never checks the token again. Null (a 400) only for a token without a client id.
    /// </summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult(From(context.User));

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
            [.. Words(user, "archives_regions").Select(r => RegionPrefix.TryParse(r, out var region, out _) ? region : null).OfType<RegionPrefix>()])
        {
            // Note: a role means something only for a clerk; a machine client's token carrying one gains nothing.
            Role = hall is null ? null : user.FindFirst("archives_role")?.Value,
        };
    }

    /// <summary>Whether the principal is a clerk (its token has a <c>hall</c>), before a <see cref="Caller"/> is read.</summary>
    internal static bool IsClerk(ClaimsPrincipal user) => user.FindFirst("hall") is not null;

    private static IEnumerable<string> Words(ClaimsPrincipal user, string claim)
        => user.FindAll(claim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

namespace Archives.Identity.Clerks;

/// <summary>A service-hall clerk (窗口工作人员) who signs in to act for citizens at the window.</summary>
internal sealed class Clerk
{
    public int Id { get; set; }

    /// <summary>The stable subject (<c>sub</c>) of the clerk's tokens; never reused, even if the user name is.</summary>
    public required string Subject { get; set; }

    public required string UserName { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>GB/T 2260 division code of the clerk's service hall (<c>hall</c> claim).</summary>
    public required string Hall { get; set; }

    public string? HallName { get; set; }

    /// <summary><see cref="ClerkRoles.Supervisor"/>, or null for an ordinary clerk (<c>archives_role</c> claim).</summary>
    public string? Role { get; set; }

    /// <summary>ASP.NET Core Identity's PBKDF2 hash (<see cref="Microsoft.AspNetCore.Identity.PasswordHasher{TUser}"/>).</summary>
    public required string PasswordHash { get; set; }

    /// <summary>False once the clerk is no longer declared: they can neither sign in nor refresh tokens.</summary>
    public bool Active { get; set; } = true;

    public int FailedSignIns { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }
}

/// <summary>A demo clerk of <c>gateway-config/local/clerks.json</c> (Development only).</summary>
internal sealed record ClerkEntry
{
    public required string UserName { get; init; }

    public required string Password { get; init; }

    public required string Hall { get; init; }

    public required string DisplayName { get; init; }

    public string? HallName { get; init; }

    /// <summary><c>supervisor</c>, or absent for an ordinary clerk.</summary>
    public string? Role { get; init; }
}

internal sealed record ClerksDocument
{
    public IReadOnlyList<ClerkEntry> Clerks { get; init; } = [];
}

/// <summary>What a clerk may do beyond the window flow, and the scopes that takes.</summary>
internal static class ClerkRoles
{
    /// <summary>A hall's supervisor (值班长): may revoke the hall's certificates.</summary>
    public const string Supervisor = "supervisor";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Supervisor };

    /// <summary>Scopes granted to a clerk only with the role, whatever the client may ask for.</summary>
    private static readonly Dictionary<string, string> ScopeRoles = new(StringComparer.Ordinal)
    {
        ["certificates.revoke"] = Supervisor,
    };

    /// <summary>
    /// The scopes of <paramref name="requested"/> that <paramref name="clerk"/> may have: one that needs
    /// a role the clerk lacks is left out rather than refused (OIDC lets a server grant fewer scopes
    /// than asked), so the hall asks every clerk for the same scopes and reads what was granted.
    /// </summary>
    public static IEnumerable<string> Grantable(Clerk clerk, IEnumerable<string> requested) =>
        requested.Where(scope => !ScopeRoles.TryGetValue(scope, out var role) || role == clerk.Role);
}

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
}

internal sealed record ClerksDocument
{
    public IReadOnlyList<ClerkEntry> Clerks { get; init; } = [];
}

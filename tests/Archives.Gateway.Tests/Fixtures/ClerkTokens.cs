using System.Text.Json;

namespace Archives.Gateway.Tests.Fixtures;

/// <summary>
/// Real access tokens of the demo clerks of gateway-config/local/clerks.json, from the project's identity server
/// by the service hall's authorization code flow with PKCE (<see cref="Archives.Testing.IdentityServerFixture.GetClerkTokenAsync"/>).
/// </summary>
internal static class ClerkTokens
{
    /// <summary>What the service hall asks for when a clerk signs in.</summary>
    private static readonly string[] Scopes = ["openid", "profile", "certificates.issue", "certificates.read"];

    /// <summary>A token of the demo clerk (not the supervisor) at the service hall of <paramref name="hall"/>.</summary>
    public static Task<string> ForHallAsync(string hall) => Identity.GetClerkTokenAsync(ClerkAt(hall), Scopes);

    private static string ClerkAt(string hall)
    {
        var path = Path.Combine(Identity.ConfigDirectory, "local", "clerks.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("clerks").EnumerateArray()
            .Where(c => c.GetProperty("hall").GetString() == hall && !c.TryGetProperty("role", out _))
            .Select(c => c.GetProperty("userName").GetString()!)
            .FirstOrDefault() ?? throw new ArgumentException($"No demo clerk at hall {hall} in {path}.", nameof(hall));
    }
}

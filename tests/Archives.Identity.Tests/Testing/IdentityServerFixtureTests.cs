using Archives.Testing;

namespace Archives.Identity.Tests.Testing;

/// <summary>The shared fixture's clerk tokens (what the gateway's and the hall's tests use), against the process it starts.</summary>
public sealed class IdentityServerFixtureTests
{
    [Fact]
    public async Task GetClerkTokenAsync_SignsTheClerkInThroughTheCodeFlow_AndReusesTheToken()
    {
        await using var identity = new IdentityServerFixture();
        await identity.InitializeAsync();
        string[] scopes = ["records.search", "certificates.issue"];

        var token = await identity.GetClerkTokenAsync("hz-clerk", scopes, TestContext.Current.CancellationToken);
        var again = await identity.GetClerkTokenAsync("hz-clerk", scopes, TestContext.Current.CancellationToken);
        var other = await identity.GetClerkTokenAsync("xihu-clerk", scopes, TestContext.Current.CancellationToken);

        using var http = new HttpClient { BaseAddress = identity.Issuer };
        var access = await http.ValidateAsync(token, Tokens.GatewayAudience);
        Assert.True(access.IsValid, access.Exception?.Message);
        Assert.Equal("service-hall", access.Claim("client_id"));
        Assert.Equal("hz-clerk", access.Claim("preferred_username"));
        Assert.Equal("330100", access.Claim("hall"));
        Assert.Equal("records.search certificates.issue", access.Claim("scope"));
        Assert.Equal(token, again);
        Assert.Equal("330106", (await http.ValidateAsync(other, Tokens.GatewayAudience)).Claim("hall"));
    }

    [Fact]
    public async Task GetClerkTokenAsync_WrongPassword_SaysTheSignInPageRefused()
    {
        var config = CopyOfConfig();
        try
        {
            var clerks = Path.Combine(config, "local", "clerks.json");
            File.WriteAllText(clerks, File.ReadAllText(clerks).Replace(IdentityServerHost.Clerk("nb-clerk").Password, "not-the-password-of-nb", StringComparison.Ordinal));
            // The server keeps the repository's clerks; the fixture reads the changed password.
            await using var identity = new ConfiguredFixture(
                new Dictionary<string, string> { ["Identity:ClerksFile"] = Path.Combine(IdentityServerHost.ConfigDirectory, "local", "clerks.json") }, config);
            await identity.InitializeAsync();

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => identity.GetClerkTokenAsync("nb-clerk", ["records.search"], TestContext.Current.CancellationToken));

            Assert.Contains("refused the clerk 'nb-clerk'", error.Message);
        }
        finally
        {
            IdentityServerHost.DeleteQuietly(config);
        }
    }

    private static string CopyOfConfig()
    {
        var copy = Directory.CreateTempSubdirectory("archives-gateway-config-").FullName;
        Directory.CreateDirectory(Path.Combine(copy, "local"));
        foreach (var file in new[] { "clients.json", "local/clients.json", "local/clerks.json" })
        {
            File.Copy(Path.Combine(IdentityServerHost.ConfigDirectory, file), Path.Combine(copy, file));
        }

        return copy;
    }

    private sealed class ConfiguredFixture(IReadOnlyDictionary<string, string> settings, string configDirectory) : IdentityServerFixture(settings, configDirectory);
}

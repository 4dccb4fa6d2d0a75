using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Archives.Testing;

namespace Archives.Node.Tests.Auth;

/// <summary>
/// A second identity server (so another issuer), whose tokens live a few seconds and which knows
/// one more client: <c>node-prober</c>, whose scope <c>node.probe</c> is for the node's audience
/// but is not <c>node.api</c>. And a node that trusts this server, with no clock skew.
/// </summary>
public sealed class SecondIdentityFixture : IAsyncLifetime
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(4);

    private readonly string _configDirectory = Directory.CreateTempSubdirectory("archives-node-auth-config-").FullName;

    public IdentityServerFixture Identity { get; private set; } = null!;

    public NodeFixture Node { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        WriteConfig();
        Identity = new ShortLivedTokens(_configDirectory);
        await Identity.InitializeAsync();
        Node = new TrustingNode(Identity);
        await Node.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        await Identity.DisposeAsync();
        Directory.Delete(_configDirectory, recursive: true);
    }

    /// <summary>The repository's clients and secrets, plus <c>node-prober</c> and its scope.</summary>
    private void WriteConfig()
    {
        var source = Path.Combine(IdentityServerFixture.RepositoryRoot, "gateway-config");
        Directory.CreateDirectory(Path.Combine(_configDirectory, "local"));
        File.Copy(Path.Combine(source, "local", "clerks.json"), Path.Combine(_configDirectory, "local", "clerks.json"));

        var clients = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "clients.json")))!;
        clients["scopes"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "node.probe",
            ["displayNameZh"] = "探测节点（测试）",
            ["displayNameEn"] = "Probe nodes (test)",
            ["resources"] = new JsonArray("archives-node"),
        });
        clients["clients"]!.AsArray().Add(new JsonObject
        {
            ["clientId"] = "node-prober",
            ["displayNameZh"] = "节点探测（测试）",
            ["displayNameEn"] = "Node prober (test)",
            ["type"] = "confidential",
            ["grantTypes"] = new JsonArray("client_credentials"),
            ["scopes"] = new JsonArray("node.probe"),
        });
        File.WriteAllText(Path.Combine(_configDirectory, "clients.json"), clients.ToJsonString());

        var secrets = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "local", "clients.json")))!;
        secrets["clients"]!.AsArray().Add(new JsonObject
        {
            ["clientId"] = "node-prober",
            ["clientSecret"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["scopes"] = new JsonArray("node.probe"),
        });
        File.WriteAllText(Path.Combine(_configDirectory, "local", "clients.json"), secrets.ToJsonString());
    }

    private sealed class ShortLivedTokens(string configDirectory) : IdentityServerFixture(
        new Dictionary<string, string> { ["Identity:AccessTokenLifetime"] = TokenLifetime.ToString() },
        configDirectory);

    private sealed class TrustingNode(IdentityServerFixture identity) : NodeFixture(identity, new()
    {
        ["Node:Auth:ClockSkew"] = "00:00:00",
        ["Node:CatalogueEntries"] = "300",
        ["Node:PersonalRecords"] = "100",
    });
}

public sealed class SecondIdentityTests(SecondIdentityFixture second, IdentityServerFixture first) : IClassFixture<SecondIdentityFixture>
{
    private const string Search = "/node/v1/catalog/search?q=%E6%A1%A3%E6%A1%88";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TokenFromAnotherIssuer_Returns401InvalidToken()
    {
        using var anonymous = second.Node.CreateAnonymousClient();
        var token = await first.GetTokenAsync("gateway", "node.api");
        Assert.NotEqual(second.Identity.Issuer.AbsoluteUri, AuthAssert.Claim(token, "iss")?.ToString());

        using var response = await anonymous.SendAsync("GET", Search, token);

        await AuthAssert.IsUnauthorizedAsync(response);
    }

    [Fact]
    public async Task ExpiredToken_Returns401InvalidTokenSayingExpired()
    {
        using var anonymous = second.Node.CreateAnonymousClient();
        var token = await second.Identity.RequestTokenAsync("gateway", ["node.api"], Ct);
        var expires = DateTimeOffset.FromUnixTimeSeconds((long)AuthAssert.Claim(token, "exp")!);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.Zero, SecondIdentityFixture.TokenLifetime + TimeSpan.FromSeconds(1));

        await Task.Delay(expires - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.5), Ct);
        using var response = await anonymous.SendAsync("GET", Search, token);

        var challenge = await AuthAssert.IsUnauthorizedAsync(response);
        Assert.Contains("expired", challenge, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ShortLivedToken_BeforeItExpires_IsServed()
    {
        using var anonymous = second.Node.CreateAnonymousClient();
        var token = await second.Identity.RequestTokenAsync("gateway", ["node.api"], Ct);

        using var response = await anonymous.SendAsync("GET", Search, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Valid here (issuer, audience archives-node, lifetime) but without node.api: authenticated, not authorized.</summary>
    [Fact]
    public async Task NodeAudienceTokenWithoutNodeApi_Returns403ProblemWithInsufficientScope()
    {
        using var anonymous = second.Node.CreateAnonymousClient();
        var token = await second.Identity.RequestTokenAsync("node-prober", ["node.probe"], Ct);
        Assert.Equal("archives-node", AuthAssert.Claim(token, "aud")?.ToString());

        using var response = await anonymous.SendAsync("GET", Search, token);

        await AuthAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"insufficient_scope\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("scope=\"node.api\"", challenge.Parameter, StringComparison.Ordinal);
    }
}

using System.Net;
using Archives.Testing;

namespace Archives.Node.Tests.Auth;

/// <summary>
/// The node trusts the project's identity server and accepts nothing but its <c>node.api</c>
/// tokens (aud <c>archives-node</c>) on the protected operations; <c>info</c> and health are public.
/// </summary>
public sealed class NodeAuthTests(NodeFixture node, IdentityServerFixture identity) : IClassFixture<NodeFixture>
{
    [Theory]
    [MemberData(nameof(AuthAssert.ProtectedOperations), MemberType = typeof(AuthAssert))]
    public async Task ProtectedOperation_NoToken_Returns401ProblemWithBearerChallenge(string method, string path)
    {
        using var anonymous = node.CreateAnonymousClient();

        using var response = await anonymous.SendAsync(method, path);

        await AuthAssert.IsUnauthorizedAsync(response, error: null);
    }

    [Theory]
    [MemberData(nameof(AuthAssert.ProtectedOperations), MemberType = typeof(AuthAssert))]
    public async Task ProtectedOperation_GatewayNodeApiToken_IsServed(string method, string path)
    {
        using var anonymous = node.CreateAnonymousClient();
        var token = await identity.GetTokenAsync("gateway", "node.api");

        using var response = await anonymous.SendAsync(method, path, token);

        // Served: the operation's own answer (records/{id} without its subject headers is a 400).
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}");
    }

    /// <summary>
    /// A token the identity server issued to another client for the gateway's audience: 401, not
    /// 403. The audience is part of the token's validity (RFC 6750 invalid_token), so the node does
    /// not authenticate the caller at all; 403 is for a token valid here that lacks node.api.
    /// </summary>
    [Fact]
    public async Task ZhelibanToken_ForTheGatewayAudience_Returns401InvalidToken()
    {
        using var anonymous = node.CreateAnonymousClient();
        var token = await identity.GetTokenAsync("zheliban", "catalog.read", "records.search");
        Assert.Equal("archives-gateway", AuthAssert.Claim(token, "aud")?.ToString());

        using var response = await anonymous.SendAsync("GET", "/node/v1/catalog/search?q=%E6%A1%A3%E6%A1%88", token);

        var challenge = await AuthAssert.IsUnauthorizedAsync(response);
        Assert.Contains("audience", challenge, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Each change leaves a payload the node would otherwise accept: only the signature refuses it.</summary>
    [Theory]
    [InlineData("gateway", "node.api", "exp")]
    [InlineData("gateway", "node.api", "client_id")]
    [InlineData("zheliban", "catalog.read", "aud")]
    public async Task TamperedPayload_Returns401InvalidSignature(string clientId, string scope, string claim)
    {
        using var anonymous = node.CreateAnonymousClient();
        var original = await identity.GetTokenAsync(clientId, scope);
        var token = AuthAssert.WithPayload(original, payload =>
        {
            switch (claim)
            {
                case "exp":
                    payload["exp"] = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds();
                    break;
                case "client_id":
                    payload["client_id"] = "partner-shanghai";
                    payload["sub"] = "partner-shanghai";
                    break;
                default:
                    payload["aud"] = "archives-node";
                    payload["scope"] = "node.api";
                    break;
            }
        });
        Assert.NotEqual(original, token);

        using var response = await anonymous.SendAsync("POST", "/node/v1/records/search", token);

        var challenge = await AuthAssert.IsUnauthorizedAsync(response);
        Assert.Contains("signature", challenge, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xLyIsImF1ZCI6ImFyY2hpdmVzLW5vZGUiLCJzY29wZSI6Im5vZGUuYXBpIn0.")]
    public async Task MalformedOrUnsignedToken_Returns401InvalidToken(string token)
    {
        using var anonymous = node.CreateAnonymousClient();

        using var response = await anonymous.SendAsync("GET", "/node/v1/catalog/search?q=%E6%A1%A3%E6%A1%88", token);

        await AuthAssert.IsUnauthorizedAsync(response);
    }

    [Theory]
    [InlineData("/node/v1/info")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task PublicEndpoints_NoToken_Return200(string path)
    {
        using var anonymous = node.CreateAnonymousClient();

        using var response = await anonymous.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

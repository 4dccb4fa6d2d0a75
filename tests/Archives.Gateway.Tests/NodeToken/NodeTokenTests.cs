using System.Net;
using System.Net.Http.Headers;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Archives.Gateway.Tests.NodeToken;

/// <summary>The gateway calls nodes with its own node.api token, never with the caller's.</summary>
public sealed class NodeTokenTests
{
    private const string Q = "%E6%A1%A3%E6%A1%88"; // 档案

    [Fact]
    public async Task Federation_CallsNodesWithTheGatewaysNodeToken_NeverTheCallers()
    {
        await using var hangzhou = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var ningbo = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 3));
        await using var gateway = GatewayHost.Start([hangzhou, ningbo]);
        var callerToken = await Identity.GetTokenAsync("zheliban", ["catalog.read"], Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/catalog/search?q={Q}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", callerToken);

        var response = await gateway.Client.SendAsync(request, Ct);
        var body = await response.ReadJsonAsync();

        // The nodes validated the token themselves (issuer, signature, audience, type, node.api) and answered.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.Status("330100"));
        Assert.Equal("ok", body.Status("330200"));
        var received = hangzhou.ReceivedAuthorizations.Concat(ningbo.ReceivedAuthorizations).ToList();
        Assert.NotEmpty(received);
        Assert.All(received, header => AssertGatewayNodeToken(header, callerToken));
    }

    [Fact]
    public async Task Proxy_ReplacesTheCallersAuthorizationWithTheGatewaysNodeToken()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var gateway = GatewayHost.Start([node]);
        var callerToken = await Identity.GetTokenAsync("zheliban", ["catalog.read"], Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/nodes/330100/node/v1/catalog/search?q={Q}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", callerToken);

        var response = await gateway.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertGatewayNodeToken(Assert.Single(node.ReceivedAuthorizations), callerToken);
    }

    [Fact]
    public async Task NodeToken_IsFetchedOnceAndReusedByConcurrentCalls()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var gateway = GatewayHost.Start([node]);

        // Different queries, so the cache does not collapse them into one node call.
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => gateway.Client.GetAsync($"/api/v1/catalog/search?q={Q}&from={1900 + i}", Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.True(node.ReceivedAuthorizations.Count >= 12);
        Assert.Single(node.ReceivedAuthorizations.Distinct());
    }

    [Fact]
    public async Task Start_OutsideDevelopment_WithADevSecret_Stops_NamingTheKey()
    {
        await using var node = await TestNode.StartAsync("330100");

        var error = Assert.ThrowsAny<Exception>(() => GatewayHost.Start([node], environment: "Production"));

        Assert.Contains("Gateway:NodeToken:ClientSecret", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithoutAuthority_Stops_NamingTheKey()
    {
        await using var node = await TestNode.StartAsync("330100");

        var error = Assert.ThrowsAny<Exception>(() => GatewayHost.Start([node], new Dictionary<string, string?> { ["Gateway:Auth:Authority"] = null }));

        Assert.Contains("Gateway:Auth:Authority", Flatten(error), StringComparison.Ordinal);
    }

    private static void AssertGatewayNodeToken(string authorization, string callerToken)
    {
        Assert.StartsWith("Bearer ", authorization, StringComparison.Ordinal);
        var raw = authorization["Bearer ".Length..];
        Assert.NotEqual(callerToken, raw);
        var token = new JsonWebToken(raw);
        Assert.Equal("gateway", token.GetClaim("client_id").Value);
        Assert.Contains("archives-node", token.Audiences);
        Assert.Contains("node.api", token.GetClaim("scope").Value.Split(' '));
        Assert.Equal(Identity.Issuer.AbsoluteUri, token.Issuer);
    }

    private static string Flatten(Exception error) => error is AggregateException aggregate
        ? string.Join(Environment.NewLine, aggregate.Flatten().InnerExceptions.Select(e => e.Message))
        : error.ToString();
}

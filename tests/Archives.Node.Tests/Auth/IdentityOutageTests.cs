using System.Net;
using Archives.Testing;

namespace Archives.Node.Tests.Auth;

/// <summary>The node validates from the keys it holds: an identity server that goes away stops nothing.</summary>
public sealed class IdentityOutageTests
{
    private const string Search = "/node/v1/catalog/search?q=%E6%A1%A3%E6%A1%88";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdentityStopped_AfterTheNodeHasItsKeys_ValidTokensStillServed_ForgedStillRefused()
    {
        await using var identity = new IdentityServerFixture();
        await identity.InitializeAsync();
        await using var node = new OwnNode(identity);
        await node.InitializeAsync();
        using var anonymous = node.CreateAnonymousClient();
        var seen = await identity.RequestTokenAsync("gateway", ["node.api"], Ct);
        var unseen = await identity.RequestTokenAsync("gateway", ["node.api"], Ct);
        using (var first = await anonymous.SendAsync("GET", Search, seen))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await identity.StopAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetAsync(new Uri(identity.Issuer, ".well-known/jwks"), Ct));

        using var again = await anonymous.SendAsync("GET", Search, seen);
        using var fresh = await anonymous.SendAsync("GET", Search, unseen);
        using var forged = await anonymous.SendAsync("GET", Search, AuthAssert.WithPayload(unseen, p => p["client_id"] = "partner-anhui"));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        await AuthAssert.IsUnauthorizedAsync(forged);
    }

    private sealed class OwnNode(IdentityServerFixture identity) : NodeFixture(identity, new()
    {
        ["Node:CatalogueEntries"] = "300",
        ["Node:PersonalRecords"] = "100",
    });
}

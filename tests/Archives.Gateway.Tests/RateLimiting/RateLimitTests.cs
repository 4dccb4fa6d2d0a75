using System.Net;
using System.Net.Http.Headers;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.RateLimiting;

/// <summary>Limits per client and per anonymous address, in one gateway's memory (no Redis configured).</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task ClientOverItsLimit_Gets429ProblemWithRetryAfter_AndIsServedAgainAfterTheWindow()
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = Start([node], data, new() { ["Gateway:RateLimits:Client:PermitLimit"] = "3", ["Gateway:RateLimits:Client:Window"] = "00:00:03" });

        var statuses = await StatusesAsync(gateway.Client, "/api/v1/nodes", 3);
        using var over = await gateway.Client.GetAsync("/api/v1/nodes", Ct);
        using var anonymous = await gateway.Anonymous.GetAsync("/api/v1/nodes", Ct);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("application/problem+json", over.Content.Headers.ContentType?.MediaType);
        var retryAfter = over.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Assert.Contains("zheliban", (string?)(await over.ReadJsonAsync())["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);

        await Task.Delay(retryAfter.Value, Ct);
        await Eventually.TrueAsync(async () =>
        {
            using var again = await gateway.Client.GetAsync("/api/v1/nodes", Ct);
            return again.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AnonymousCallers_HaveTheLowerAnonymousRate_WhileClientsGoOn()
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var gateway = Start([node], data, new() { ["Gateway:RateLimits:Anonymous:PermitLimit"] = "2", ["Gateway:RateLimits:Anonymous:Window"] = "00:10:00" });

        var anonymous = await StatusesAsync(gateway.Anonymous, "/api/v1/catalog/search?q=%E6%A1%A3%E6%A1%88", 3);
        var client = await StatusesAsync(gateway.Client, "/api/v1/catalog/search?q=%E6%A1%A3%E6%A1%88", 3);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], anonymous);
        Assert.All(client, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task RequestsWithBadTokens_CountAtTheAnonymousRate()
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = Start([node], data, new() { ["Gateway:RateLimits:Anonymous:PermitLimit"] = "2", ["Gateway:RateLimits:Anonymous:Window"] = "00:10:00" });
        using var forged = new HttpClient { BaseAddress = gateway.Address };
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        var statuses = await StatusesAsync(forged, "/api/v1/nodes", 3);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task AClientsOwnPolicy_OverridesTheDefault_ForThatClientOnly()
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = Start([node], data, new()
        {
            ["Gateway:RateLimits:Clients:partner-shanghai:PermitLimit"] = "1",
            ["Gateway:RateLimits:Clients:partner-shanghai:Window"] = "00:10:00",
        });
        using var partner = gateway.ClientAs("partner-shanghai", "catalog.read");

        var partnerStatuses = await StatusesAsync(partner, "/api/v1/nodes", 2);
        var zheliban = await StatusesAsync(gateway.Client, "/api/v1/nodes", 2);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], partnerStatuses);
        Assert.All(zheliban, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task HealthProbes_AreNeverLimited()
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = Start([node], data, new() { ["Gateway:RateLimits:Anonymous:PermitLimit"] = "1", ["Gateway:RateLimits:Anonymous:Window"] = "00:10:00" });

        var statuses = await StatusesAsync(gateway.Anonymous, "/health/live", 5);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task PolicyFile_IsRead_AndAnEditAppliesWithoutRestart()
    {
        await using var data = new TestData();
        Directory.CreateDirectory(data.Path);
        var file = Path.Combine(data.Path, "rate-limits.json");
        await File.WriteAllTextAsync(file, """
            {
              // as an operator writes it
              "Client": { "PermitLimit": 2, "Window": "00:10:00" }
            }
            """, Ct);
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = Start([node], data, new() { ["Gateway:RateLimitsFile"] = file });

        var before = await StatusesAsync(gateway.Client, "/api/v1/nodes", 3);
        await File.WriteAllTextAsync(file, """{ "Client": { "PermitLimit": 50, "Window": "00:10:00" } }""", Ct);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], before);
        await Eventually.TrueAsync(async () =>
        {
            using var response = await gateway.Client.GetAsync("/api/v1/nodes", Ct);
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30));

        // A broken edit neither stops the gateway nor fails requests.
        await File.WriteAllTextAsync(file, """{ "Client": { "PermitLimit": """, Ct);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var afterBrokenEdit = await StatusesAsync(gateway.Client, "/api/v1/nodes", 3);
        Assert.All(afterBrokenEdit, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task PolicyFile_ThatDoesNotExist_StopsTheStart_NamingTheKey()
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");

        var error = Assert.ThrowsAny<Exception>(() => Start([node], data, new() { ["Gateway:RateLimitsFile"] = "/nonexistent/rate-limits.json" }));

        Assert.Contains("Gateway:RateLimitsFile", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway:RateLimits:Client:PermitLimit", "0")]
    [InlineData("Gateway:RateLimits:Anonymous:Window", "00:00:00.5")]
    [InlineData("Gateway:RateLimits:Clients:zheliban:PermitLimit", "-1")]
    public async Task InvalidPolicy_StopsTheStart_NamingTheKey(string key, string value)
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");

        var error = Assert.ThrowsAny<Exception>(() => Start([node], data, new() { [key] = value }));

        Assert.Contains(key[..key.LastIndexOf(':')], error.ToString(), StringComparison.Ordinal);
    }

    internal static GatewayHost Start(IEnumerable<IArchiveNodeUnderTest> nodes, TestData data, Dictionary<string, string?> settings)
        => GatewayHost.Start(nodes, settings, dataDirectory: data.Path);

    internal static async Task<List<HttpStatusCode>> StatusesAsync(HttpClient client, string path, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(path, Ct);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}

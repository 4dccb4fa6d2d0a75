using System.Net;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Hosting;

public sealed class StartupTests
{
    [Theory]
    [InlineData("Gateway:Federation:Deadline", "00:00:00")]
    [InlineData("Gateway:Federation:MaxLimit", "1000")]
    [InlineData("Gateway:Proxy:RouteTimeout", "00:00:00")]
    [InlineData("Gateway:NodeClient:MaxResponseBytes", "10")]
    [InlineData("Gateway:Cache:CatalogueDuration", "00:00:00")]
    public async Task Start_WithInvalidOption_StopsWithAMessageNamingTheKey(string key, string value)
    {
        await using var node = await TestNode.StartAsync("330100");

        var error = Assert.ThrowsAny<Exception>(() => GatewayHost.Start([node], new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Is404ProblemJson()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        var response = await gateway.Client.GetAsync("/api/v1/nothing-here", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

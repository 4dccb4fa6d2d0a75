using System.Net;
using Archives.Gateway.Caching;
using Archives.Gateway.Federation;
using Archives.Gateway.Proxy;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Tests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task Start_WithInvalidOption_Stops()
    {
        await using var node = await TestNode.StartAsync("330100");

        Assert.ThrowsAny<Exception>(() => GatewayHost.Start([node], new Dictionary<string, string?> { ["Gateway:Federation:Deadline"] = "00:00:00" }));
    }

    [Theory]
    [InlineData("Gateway:Federation:Deadline", "00:00:00")]
    [InlineData("Gateway:Federation:MaxLimit", "1000")]
    [InlineData("Gateway:Proxy:RouteTimeout", "00:00:00")]
    [InlineData("Gateway:NodeClient:MaxResponseBytes", "10")]
    [InlineData("Gateway:Cache:CatalogueDuration", "00:00:00")]
    [InlineData("Gateway:Cache:RedisTimeout", "00:10:00")]
    public void InvalidOption_FailsStartValidationWithAMessageNamingTheKey(string key, string value)
    {
        // The same registrations as Program.cs; the start-up validator is what the host runs first.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = GatewayContentRoot });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.AddNodeProxy();
        builder.AddNodeClients();
        builder.AddGatewayCaching();
        builder.AddFederation();
        using var app = builder.Build();

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
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

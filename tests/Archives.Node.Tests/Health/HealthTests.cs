using System.Net;
using Archives.Testing;
using Microsoft.Extensions.Options;

namespace Archives.Node.Tests.Health;

public sealed class HealthTests(NodeFixture node, IdentityServerFixture identity) : IClassFixture<NodeFixture>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_SeededNode_Returns200(string path)
    {
        using var response = await node.Http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WhileSeeding_LiveIs200_ReadyAndApiAre503WithRetryAfter()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = NodeFixture.NewDataDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Node:Id"] = "330106",
            ["Node:NameZh"] = "西湖区档案馆",
            ["Node:NameEn"] = "Xihu District Archives",
            ["Node:DataDirectory"] = directory,
            ["Node:CatalogueEntries"] = "2000000",
            ["Node:Auth:Authority"] = identity.Issuer.AbsoluteUri,
        };
        await using var factory = new NodeFactory(settings, new LogCapture());
        factory.StartServer();
        using var http = factory.CreateClient();

        using var live = await http.GetAsync("/health/live", ct);
        using var ready = await http.GetAsync("/health/ready", ct);
        using var info = await http.GetAsync("/node/v1/info", ct);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, info.StatusCode);
        Assert.Equal("application/problem+json", info.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(info.Headers.RetryAfter);

        await factory.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Start_InvalidDivisionCode_FailsNamingTheKey()
    {
        var directory = NodeFixture.NewDataDirectory();
        var fixture = new BadConfigurationFixture(identity, directory);

        var error = await Assert.ThrowsAnyAsync<Exception>(fixture.StartAsync);

        // The host stops with an OptionsValidationException naming the key. Under Kestrel,
        // WebApplicationFactory may instead surface an ObjectDisposedException from reading the
        // failed host's address; the host has logged the real failure then, so look there too.
        var validation = error as OptionsValidationException;
        Assert.True(
            validation?.Message.Contains("Node:DivisionCode", StringComparison.Ordinal) == true
            || (error is ObjectDisposedException && fixture.Logs.Messages.Any(m => m.Contains("Node:DivisionCode", StringComparison.Ordinal))),
            $"{error.GetType().Name}: {error.Message}");
    }

    private sealed class BadConfigurationFixture(IdentityServerFixture identity, string directory)
        : NodeFixture(identity, new() { ["Node:DivisionCode"] = "999999", ["Node:Id"] = "bad" }, directory);
}

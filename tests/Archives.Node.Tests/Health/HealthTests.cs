using System.Net;
using Microsoft.Extensions.Options;

namespace Archives.Node.Tests.Health;

public sealed class HealthTests(NodeFixture node) : IClassFixture<NodeFixture>
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
    public async Task Start_InvalidDivisionCode_FailsNamingTheKey()
    {
        var directory = NodeFixture.NewDataDirectory();
        var fixture = new BadConfigurationFixture(directory);

        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(fixture.StartAsync);

        Assert.Contains("Node:DivisionCode", error.Message, StringComparison.Ordinal);
    }

    private sealed class BadConfigurationFixture(string directory)
        : NodeFixture(new() { ["Node:DivisionCode"] = "999999", ["Node:Id"] = "bad" }, directory);
}

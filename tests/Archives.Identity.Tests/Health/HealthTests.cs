using System.Net;

namespace Archives.Identity.Tests.Health;

[Collection(SharedServer.Name)]
public sealed class HealthTests(SharedIdentityServer server)
{
    [Theory]
    [InlineData("health/live")]
    [InlineData("health/ready")]
    public async Task Health_AnswersOk_OnceStarted(string path)
    {
        using var http = server.CreateClient();

        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}

using System.Net;
using System.Text.Json;
using Archives.Testing;
using Microsoft.Data.Sqlite;

namespace Archives.Node.Tests.Health;

/// <summary>A node of its own: this test takes its database away.</summary>
public sealed class DoomedNodeFixture(IdentityServerFixture identity) : NodeFixture(identity);

public sealed class DatabaseLossTests(DoomedNodeFixture node) : IClassFixture<DoomedNodeFixture>
{
    [Fact]
    public async Task DatabaseGone_Returns500ProblemWithoutDetails_AndNotReady()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(node.DataDirectory, "node.db");
        File.Move(path, path + ".away");
        SqliteConnection.ClearAllPools();

        using var search = await node.Http.GetAsync("/node/v1/catalog/search?q=%E6%A1%A3%E6%A1%88", ct);
        using var ready = await node.Http.GetAsync("/health/ready", ct);

        Assert.Equal(HttpStatusCode.InternalServerError, search.StatusCode);
        Assert.Equal("application/problem+json", search.Content.Headers.ContentType?.MediaType);
        var body = await search.Content.ReadAsStringAsync(ct);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(problem.RootElement.TryGetProperty("detail", out _));
        Assert.DoesNotContain("Sqlite", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("node.db", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        File.Move(path + ".away", path);
    }
}

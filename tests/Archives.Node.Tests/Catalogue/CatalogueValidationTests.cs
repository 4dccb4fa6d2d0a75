using System.Net;
using System.Text.Json;
using Archives.Contracts;
using Refit;

namespace Archives.Node.Tests.Catalogue;

public sealed class CatalogueValidationTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> BadQueries => new()
    {
        { "limit=0", "limit" },
        { "limit=101", "limit" },
        { "limit=-5", "limit" },
        { "limit=ten", "limit" },
        { "limit=99999999999999999999", "limit" },
        { "from=999", "from" },
        { "from=abc", "from" },
        { "to=2101", "to" },
        { "from=2000&to=1990", "from" },
        { "category=nope", "category" },
        { "category=" + new string('x', 100), "category" },
        { "cursor=not-a-cursor", "cursor" },
        { "cursor=" + new string('A', 600), "cursor" },
        { "q=" + new string('档', NodeContract.MaxQueryLength + 1), "q" },
        { "q=***", "q" },
        { "q=%22%22", "q" },
        { "q=" + "a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k%20l%20m", "q" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Search_BadParameter_Returns400ProblemNamingIt(string queryString, string field)
    {
        using var response = await node.Http.GetAsync($"/node/v1/catalog/search?{queryString}", Ct);

        await AssertValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task Search_BadLimitThroughRefit_SurfacesAsValidationApiException()
    {
        var error = await Assert.ThrowsAsync<ValidationApiException>(() => node.Api.SearchCatalogueAsync(new() { Limit = 0 }, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.True(error.Content?.Errors.ContainsKey("limit"));
    }

    [Fact]
    public async Task Search_CursorFromAnotherQuery_Returns400NamingCursor()
    {
        var page1 = await node.Api.SearchCatalogueAsync(new() { Q = "档案", Limit = 5 }, Ct);
        Assert.NotNull(page1.NextCursor);

        foreach (var other in new CatalogueSearchQuery[]
        {
            new() { Q = "婚姻", Cursor = page1.NextCursor },
            new() { Q = "档案", Category = "documents", Cursor = page1.NextCursor },
            new() { Q = "档案", From = 1950, Cursor = page1.NextCursor },
            new() { Cursor = page1.NextCursor },
        })
        {
            var error = await Assert.ThrowsAsync<ValidationApiException>(() => node.Api.SearchCatalogueAsync(other, Ct));
            Assert.True(error.Content?.Errors.ContainsKey("cursor"));
        }

        // The same query with another page size continues the same walk.
        var page2 = await node.Api.SearchCatalogueAsync(new() { Q = " 档案 ", Limit = 7, Cursor = page1.NextCursor }, Ct);
        Assert.DoesNotContain(page2.Entries, e => page1.Entries.Any(p => p.Id == e.Id));
    }

    [Fact]
    public async Task Search_TamperedCursor_Returns400NamingCursor()
    {
        var page1 = await node.Api.SearchCatalogueAsync(new() { Q = "档案", Limit = 5 }, Ct);
        var cursor = page1.NextCursor!;

        for (var i = 0; i < cursor.Length; i += 5)
        {
            var tampered = cursor[..i] + (cursor[i] == 'A' ? 'B' : 'A') + cursor[(i + 1)..];
            using var response = await node.Http.GetAsync($"/node/v1/catalog/search?q=%E6%A1%A3%E6%A1%88&cursor={tampered}", Ct);
            await AssertValidationProblemAsync(response, "cursor");
        }

        using var truncated = await node.Http.GetAsync($"/node/v1/catalog/search?q=%E6%A1%A3%E6%A1%88&cursor={cursor[..^4]}", Ct);
        await AssertValidationProblemAsync(truncated, "cursor");
    }

    internal static async Task AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, body.RootElement.GetProperty("status").GetInt32());
        var errors = body.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {errors}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Archives.Conformance.Tests;

/// <summary>Bad input gets a 400 problem naming the field; never a 500, never an unbounded query.</summary>
[Collection(NodeCollection.Name)]
public sealed class BadInputConformanceTests(NodeUnderTest node)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=many", "limit")]
    [InlineData("from=999", "from")]
    [InlineData("to=2101", "to")]
    [InlineData("from=1990&to=1980", "from")]
    [InlineData("category=weather", "category")]
    [InlineData("category=marriage", "category")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=eyJ3IjoxfQ", "cursor")]
    public async Task CatalogueSearch_BadParameter_Is400NamingIt(string query, string field)
    {
        using var response = await node.Http.GetAsync(new Uri("/node/v1/catalog/search?" + query, UriKind.Relative), Ct);

        await ProblemAssert.NamesFieldAsync(response, field);
    }

    [Fact]
    public async Task CatalogueSearch_QueryTooLong_Is400()
    {
        var q = Uri.EscapeDataString(new string('档', NodeContract.MaxQueryLength + 1));

        using var response = await node.Http.GetAsync(new Uri("/node/v1/catalog/search?q=" + q, UriKind.Relative), Ct);

        await ProblemAssert.NamesFieldAsync(response, "q");
    }

    [Fact]
    public async Task CatalogueSearch_CursorOfAnotherQuery_Is400()
    {
        var first = await node.Api.SearchCatalogueAsync(new CatalogueSearchQuery { Q = "档案", Limit = 5 }, Ct);
        Assert.NotNull(first.NextCursor);

        using var response = await node.Http.GetAsync(new Uri($"/node/v1/catalog/search?q=%E5%A9%9A%E5%A7%BB&limit=5&cursor={first.NextCursor}", UriKind.Relative), Ct);

        await ProblemAssert.NamesFieldAsync(response, "cursor");
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("档案\"")]
    [InlineData("NEAR(档案 婚姻)")]
    [InlineData("婚* OR -知青")]
    [InlineData("^档案 AND :")]
    [InlineData("(((")]
    public async Task CatalogueSearch_QuerySyntaxCharacters_AreTextNotErrors(string q)
    {
        using var response = await node.Http.GetAsync(new Uri("/node/v1/catalog/search?q=" + Uri.EscapeDataString(q), UriKind.Relative), Ct);

        // Search syntax of the node's engine must never surface: either the words are searched, or
        // a query with no searchable word at all is a 400 naming q.
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await ProblemAssert.NamesFieldAsync(response, "q");
        }
    }

    [Theory]
    [InlineData("""{"subject":{"idNumber":"330106198503121232"}}""", "subject.idNumber")]
    [InlineData("""{"subject":{"idNumber":"330106198502301230"}}""", "subject.idNumber")]
    [InlineData("""{"subject":{"idNumber":12}}""", "subject.idNumber")]
    [InlineData("""{"subject":{"name":"张伟","birthDate":"1985-02-30"}}""", "subject.birthDate")]
    [InlineData("""{"subject":{"idNumber":"330106198503121231"},"categories":["weather"]}""", "categories")]
    [InlineData("""{"subject":{}}""", "subject")]
    [InlineData("""{"subject":{"name":"张伟"}}""", "subject")]
    [InlineData("""{"categories":["marriage"]}""", "subject")]
    public async Task RecordSearch_BadBody_Is400NamingTheField(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await node.Http.PostAsync(new Uri("/node/v1/records/search", UriKind.Relative), content, Ct);

        await ProblemAssert.NamesFieldAsync(response, field);
    }

    [Fact]
    public async Task RecordSearch_NameTooLong_Is400()
    {
        var body = new { subject = new { name = new string('张', NodeContract.MaxNameLength + 1), birthDate = "1955-01-01" } };

        using var response = await node.Http.PostAsJsonAsync(new Uri("/node/v1/records/search", UriKind.Relative), body, Ct);

        await ProblemAssert.NamesFieldAsync(response, "subject.name");
    }

    [Fact]
    public async Task RecordSearch_MalformedJson_Is400Problem()
    {
        using var content = new StringContent("{\"subject\": {", Encoding.UTF8, "application/json");

        using var response = await node.Http.PostAsync(new Uri("/node/v1/records/search", UriKind.Relative), content, Ct);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RecordSearch_HugeBody_IsRejectedWith4xx()
    {
        var padding = new string('x', 2 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/node/v1/records/search", UriKind.Relative))
        {
            Content = new StringContent($$"""{"subject":{"name":"张伟","birthDate":"1955-01-01"},"purpose":"{{padding}}"}""", Encoding.UTF8, "application/json"),
        };

        // As a careful client sends a large body: the node may refuse it from its headers before it is sent. Without
        // this, a node that answers 413 and closes while the body is still being written leaves the client with a
        // broken pipe instead of the answer (seen once in CI).
        request.Headers.ExpectContinue = true;
        using var response = await node.Http.SendAsync(request, Ct);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task RecordLookup_WithoutSubject_Is400()
    {
        using var response = await node.Http.GetAsync(new Uri("/node/v1/records/anything", UriKind.Relative), Ct);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }
}

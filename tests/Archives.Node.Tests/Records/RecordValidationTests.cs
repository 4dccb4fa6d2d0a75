using System.Net;
using System.Text;
using Archives.Contracts;
using Archives.Node.Tests.Catalogue;

namespace Archives.Node.Tests.Records;

public sealed class RecordValidationTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"subject":{"idNumber":"330106195503121239"}}""", "subject.idNumber" },
        { """{"subject":{"idNumber":"33010619550312123"}}""", "subject.idNumber" },
        { """{"subject":{"idNumber":330106195503121238}}""", "subject.idNumber" },
        { """{"subject":{"name":"陈建国","birthDate":"1955-13-01"}}""", "subject.birthDate" },
        { """{"subject":{"name":"陈建国","birthDate":"2999-01-01"}}""", "subject.birthDate" },
        { """{"subject":{"name":"陈建国","birthDate":"1700-01-01"}}""", "subject.birthDate" },
        { """{"subject":{"idNumber":"330106195503121238","birthDate":"1955-03-13"}}""", "subject.birthDate" },
        { """{"subject":{"name":"陈建国"}}""", "subject.birthDate" },
        { """{"subject":{"birthDate":"1955-03-12"}}""", "subject.name" },
        { """{"subject":{"name":5,"birthDate":"1955-03-12"}}""", "subject.name" },
        { """{"subject":{"name":"陈建国","birthDate":"1955-03-12"},"categories":["zz"]}""", "categories[0]" },
        { """{"subject":{"name":"陈建国","birthDate":"1955-03-12"},"categories":"marriage"}""", "categories" },
        { """{"subject":{}}""", "subject" },
        { """{"subject":null}""", "subject" },
        { """{}""", "subject" },
        { """{"subject":"陈建国"}""", "subject" },
        { """{"subj""", "body" },
        { """[]""", "body" },
        { """null""", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Search_BadBody_Returns400ProblemNamingTheField(string body, string field)
    {
        using var response = await PostAsync(body);

        await CatalogueValidationTests.AssertValidationProblemAsync(response, field);
        Assert.DoesNotContain("33010619550312123", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_NameTooLong_Returns400NamingName()
    {
        var name = new string('陈', NodeContract.MaxNameLength + 1);

        using var response = await PostAsync($$$"""{"subject":{"name":"{{{name}}}","birthDate":"1955-03-12"}}""");

        await CatalogueValidationTests.AssertValidationProblemAsync(response, "subject.name");
    }

    [Fact]
    public async Task Search_PurposeTooLong_Returns400NamingPurpose()
    {
        using var response = await PostAsync($$"""{"subject":{"name":"陈建国","birthDate":"1955-03-12"},"purpose":"{{new string('用', 300)}}"}""");

        await CatalogueValidationTests.AssertValidationProblemAsync(response, "purpose");
    }

    [Fact]
    public async Task Search_BodyOver16KiB_Returns413Problem()
    {
        var body = $$"""{"subject":{"name":"陈建国","birthDate":"1955-03-12"},"purpose":"{{new string('x', 20_000)}}"}""";

        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Search_NotJson_Returns415Problem()
    {
        using var content = new StringContent("subject=陈建国", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await node.Http.PostAsync("/node/v1/records/search", content, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem()
    {
        using var response = await node.Http.GetAsync("/node/v1/nothing-here", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private Task<HttpResponseMessage> PostAsync(string body)
    {
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        return node.Http.PostAsync("/node/v1/records/search", content, Ct);
    }
}

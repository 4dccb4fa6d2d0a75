using System.Net;
using System.Net.Http.Json;
using System.Text;
using Archives.Contracts;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Federation;

public sealed class RecordSearchTests
{
    private static readonly IdNumber Subject = IdNumber.Create(DivisionCode.Parse("330106"), new DateOnly(1960, 5, 4), 123);
    private static readonly DateOnly Birth = new(1960, 5, 4);

    private static TestRecord Exact(string nodeId, RecordCategory category, string maskedAsSent) => new(
        new RecordMatch
        {
            RecordId = nodeId + "-exact-" + category.Code,
            Category = category,
            ArchivalReference = ArchivalReference.Parse("J012-HY·1985-0034-0007"),
            Title = "1985年结婚登记",
            EventDate = new DateOnly(1985, 3, 1),
            SubjectName = "张三",
            MaskedIdNumber = maskedAsSent,
            Match = MatchKind.Exact,
            Digitised = true,
        },
        Subject.Value,
        Birth);

    private static TestRecord Probable(string nodeId, RecordCategory category) => new(
        new RecordMatch
        {
            RecordId = nodeId + "-probable-" + category.Code,
            Category = category,
            ArchivalReference = ArchivalReference.Parse("J020-ZQ·1975-0002"),
            Title = "1975年知青登记",
            EventDate = new DateOnly(1975, 9, 1),
            SubjectName = "张三",
            MaskedIdNumber = null,
            Match = MatchKind.Probable,
            Digitised = false,
        },
        null,
        Birth);

    private static object Body(string? purpose = "婚姻证明", string[]? categories = null, string[]? regions = null) => new
    {
        subject = new { idNumber = Subject.Value, name = "张三", birthDate = "1960-05-04" },
        categories = categories ?? [],
        regions = regions ?? [],
        purpose,
    };

    [Fact]
    public async Task Search_AsksOnlyNodesHoldingTheCategories_OthersAreNotApplicable()
    {
        await using var marriage = await TestNode.StartAsync("330100", records: [Exact("330100", RecordCategory.Marriage, Subject.Masked)], categories: [RecordCategory.Marriage]);
        await using var school = await TestNode.StartAsync("330200", categories: [RecordCategory.School]);
        await using var gateway = GatewayHost.Start([marriage, school]);

        var (response, body) = await gateway.Client.PostJsonAsync("/api/v1/records/search", Body(categories: ["marriage"]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.Status("330100"));
        Assert.Equal("not-applicable", body.Status("330200"));
        Assert.False((bool)body["partial"]!);
        Assert.Equal(0, school.RequestsTo("/node/v1/records/search"));
        Assert.Equal([RecordCategory.Marriage], marriage.LastRecordSearch!.Categories);
        Assert.Equal("婚姻证明", marriage.LastRecordSearch.Purpose);
    }

    [Fact]
    public async Task Search_KeepsExactAndProbableMatches_ExactFirst()
    {
        await using var a = await TestNode.StartAsync("330100", records: [Probable("330100", RecordCategory.EducatedYouth)]);
        await using var b = await TestNode.StartAsync("330200", records: [Exact("330200", RecordCategory.Marriage, Subject.Masked)]);
        await using var gateway = GatewayHost.Start([a, b]);

        var (_, body) = await gateway.Client.PostJsonAsync("/api/v1/records/search", Body());

        var records = body["records"]!.AsArray();
        Assert.Equal(["exact", "probable"], records.Select(r => (string)r!["match"]!));
        Assert.Equal(["330200", "330100"], records.Select(r => (string)r!["nodeId"]!));
        Assert.Equal(1, (long)body["nodes"]![0]!["hitCount"]!);
    }

    [Fact]
    public async Task Search_MasksIdNumbers_EvenWhenANodeSendsThemInFull_AndIsNeverCached()
    {
        await using var careless = await TestNode.StartAsync("330100", records: [Exact("330100", RecordCategory.Marriage, Subject.Value)]);
        await using var gateway = GatewayHost.Start([careless]);

        var response = await gateway.Client.PostAsJsonAsync("/api/v1/records/search", Body(), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        await gateway.Client.PostAsJsonAsync("/api/v1/records/search", Body(), Ct);

        Assert.DoesNotContain(Subject.Value, text, StringComparison.Ordinal);
        Assert.Contains(Subject.Masked, text, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(2, careless.RequestsTo("/node/v1/records/search"));
    }

    [Fact]
    public async Task Search_RegionsLimitTheNodesAsked()
    {
        await using var zhejiang = await TestNode.StartAsync("330100");
        await using var shanghai = await TestNode.StartAsync("310000");
        await using var gateway = GatewayHost.Start([zhejiang, shanghai]);

        var (_, body) = await gateway.Client.PostJsonAsync("/api/v1/records/search", Body(regions: ["31"]));

        Assert.Equal(["310000"], body["nodes"]!.AsArray().Select(n => (string)n!["nodeId"]!));
    }

    [Fact]
    public async Task Search_NodeThatHangs_IsTimeoutAndTheAnswerIsPartial()
    {
        await using var good = await TestNode.StartAsync("330100", records: [Exact("330100", RecordCategory.Marriage, Subject.Masked)]);
        await using var hang = await TestNode.StartAsync("330200");
        hang.Fault = NodeFault.Hang;
        await using var gateway = GatewayHost.Start([good, hang], new Dictionary<string, string?>
        {
            ["Gateway:Federation:Deadline"] = "00:00:04",
            ["Gateway:NodeClient:Resilience:AttemptTimeout:Timeout"] = "00:00:03",
        });

        var (_, body) = await gateway.Client.PostJsonAsync("/api/v1/records/search", Body());

        Assert.Equal("timeout", body.Status("330200"));
        Assert.True((bool)body["partial"]!);
        Assert.Single(body["records"]!.AsArray());
    }

    [Fact]
    public async Task Search_IsNeverRetried_ANodeErrorCostsOneCall()
    {
        await using var failing = await TestNode.StartAsync("330100");
        failing.Fault = NodeFault.ServerError;
        await using var gateway = GatewayHost.Start([failing]);

        var (_, body) = await gateway.Client.PostJsonAsync("/api/v1/records/search", Body());

        Assert.Equal("error", body.Status("330100"));
        Assert.Equal(1, failing.RequestsTo("/node/v1/records/search"));
    }

    [Theory]
    [InlineData("""{"subject":{"idNumber":"330106196005041235"},"purpose":"x"}""", "subject.idNumber")]
    [InlineData("""{"subject":{"idNumber":12},"purpose":"x"}""", "subject.idNumber")]
    [InlineData("""{"subject":{"name":"张三"},"purpose":"x"}""", "subject")]
    [InlineData("""{"purpose":"x"}""", "subject")]
    [InlineData("""{"subject":{"name":"张三","birthDate":"1960-05-04"}}""", "purpose")]
    [InlineData("""{"subject":{"name":"张三","birthDate":"1960-05-04"},"purpose":"  "}""", "purpose")]
    [InlineData("""{"subject":{"name":"张三","birthDate":"1960-13-04"},"purpose":"x"}""", "subject.birthDate")]
    [InlineData("""{"subject":{"name":"张三","birthDate":"2999-01-01"},"purpose":"x"}""", "subject.birthDate")]
    [InlineData("""{"subject":{"name":"张三","birthDate":"1960-05-04"},"categories":["poetry"],"purpose":"x"}""", "categories[0]")]
    [InlineData("""{"subject":{"name":"张三","birthDate":"1960-05-04"},"regions":["3"],"purpose":"x"}""", "regions[0]")]
    [InlineData("""{"subject":{"name":"张三","birthDate":"1960-05-04"},"purpose":"x","extra":1}""", "extra")]
    [InlineData("""{"subject":{"name":"张三","birthDate":"1960-05-04"},"purpose":"x""", "purpose")]
    [InlineData("""[]""", "body")]
    public async Task BadInput_Is400ProblemNamingTheField_WithoutEchoingTheIdNumber(string json, string field)
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        var response = await gateway.Client.PostAsync("/api/v1/records/search", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"{field}\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("330106196005041235", text, StringComparison.Ordinal);
        Assert.Equal(0, node.RequestsTo("/node/v1/records/search"));
    }

    [Fact]
    public async Task BadInput_TooManyRegions_Is400NamingRegions()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node], new Dictionary<string, string?> { ["Gateway:Federation:MaxRegionsPerRequest"] = "2" });

        var (response, problem) = await gateway.Client.PostJsonAsync("/api/v1/records/search", Body(regions: ["33", "31", "32"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]!["regions"]);
    }

    [Fact]
    public async Task BadInput_BodyLargerThanTheLimit_Is413NamingTheBodyAndItsLimit()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);
        var json = "{\"purpose\":\"" + new string('x', 100_000) + "\"}";

        var response = await gateway.Client.PostAsync("/api/v1/records/search", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["The body has at most 16384 bytes."], (await response.ReadJsonAsync())["errors"]!["body"]!.AsArray().Select(m => (string?)m));
        Assert.Equal(0, node.RequestsTo("/node/v1/records/search"));
    }

    [Fact]
    public async Task BadInput_NotJson_Is415()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        var response = await gateway.Client.PostAsync("/api/v1/records/search", new StringContent("subject=x", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}

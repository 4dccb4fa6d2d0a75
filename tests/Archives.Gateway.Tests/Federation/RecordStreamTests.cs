using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archives.Contracts;
using Archives.Gateway.Tests.Audit;
using Archives.Gateway.Tests.Certificates;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Federation;

/// <summary>
/// <c>POST /api/v1/records/search/stream</c>: the personal-record search as Server-Sent Events, with the JSON
/// search's body, validation, scopes, agreement and audit, against real tokens and real nodes on loopback.
/// </summary>
public sealed class RecordStreamTests
{
    private const string Path = "/api/v1/records/search/stream";

    private static readonly IdNumber Subject = IdNumber.Create(DivisionCode.Parse("330106"), new DateOnly(1960, 5, 4), 123);

    private static TestRecord Marriage(string nodeId, MatchKind match = MatchKind.Exact) => new(
        new RecordMatch
        {
            RecordId = $"{nodeId}-{match}",
            Category = RecordCategory.Marriage,
            ArchivalReference = ArchivalReference.Parse("J012-HY·1985-0034-0007"),
            Title = "1985年结婚登记",
            EventDate = match == MatchKind.Exact ? new DateOnly(1985, 3, 1) : new DateOnly(1979, 3, 1),
            SubjectName = "张三",
            // A careless node that sends the number in full: the stream masks it again.
            MaskedIdNumber = match == MatchKind.Exact ? Subject.Value : null,
            Match = match,
            Digitised = true,
        },
        match == MatchKind.Exact ? Subject.Value : null,
        new DateOnly(1960, 5, 4));

    private static object Body(string[]? categories = null, string[]? regions = null) => new
    {
        subject = new { idNumber = Subject.Value, name = "张三", birthDate = "1960-05-04" },
        categories = categories ?? ["marriage"],
        regions = regions ?? [],
        purpose = "婚姻证明",
    };

    [Fact]
    public async Task Stream_SendsEachNodeAsItAnswers_SettledOnesAtOnce_ThenASummary_StoppedAndHangingNodesByTheirStatus()
    {
        await using var answering = await TestNode.StartAsync("330100", records: [Marriage("330100", MatchKind.Probable), Marriage("330100")], categories: [RecordCategory.Marriage]);
        await using var hanging = await TestNode.StartAsync("330200", categories: [RecordCategory.Marriage]);
        hanging.Fault = NodeFault.Hang;
        var stopped = await TestNode.StartAsync("330300", categories: [RecordCategory.Marriage]);
        await using var school = await TestNode.StartAsync("330400", categories: [RecordCategory.School]);
        await using var gateway = GatewayHost.Start([answering, hanging, stopped, school], new Dictionary<string, string?>
        {
            ["Gateway:Federation:Deadline"] = "00:00:06",
            ["Gateway:NodeClient:Resilience:AttemptTimeout:Timeout"] = "00:00:05",
        });
        await stopped.DisposeAsync();

        var clock = Stopwatch.StartNew();
        using var response = await PostAsync(gateway.Client, Body());
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        var events = new List<(SseItem<string> Item, TimeSpan At)>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(Ct))
        {
            events.Add((item, clock.Elapsed));
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(["node", "node", "node", "node", "summary"], events.Select(e => e.Item.EventType));
        var nodes = events.Take(4).Select(e => JsonNode.Parse(e.Item.Data)!).ToList();
        string StatusOf(JsonNode node) => (string)node["node"]!["status"]!;
        // Not asked at all: at once, before any node answered.
        Assert.Equal(("330400", "not-applicable"), ((string)nodes[0]["node"]!["nodeId"]!, StatusOf(nodes[0])));
        Assert.Equal("ok", StatusOf(nodes.Single(n => (string)n["node"]!["nodeId"]! == "330100")));
        Assert.Equal("error", StatusOf(nodes.Single(n => (string)n["node"]!["nodeId"]! == "330300")));
        Assert.Equal("timeout", StatusOf(nodes[3]));
        Assert.Equal("330200", (string)nodes[3]["node"]!["nodeId"]!);
        // The answering node's records left long before the hanging one was given up on.
        var ok = events.Single(e => e.Item.Data.Contains("\"330100\"", StringComparison.Ordinal) && e.Item.EventType == "node");
        Assert.True(events[3].At - ok.At > TimeSpan.FromSeconds(2), $"ok at {ok.At}, timeout at {events[3].At}");
        var records = nodes.Single(n => StatusOf(n) == "ok")["records"]!.AsArray();
        Assert.Equal(["exact", "probable"], records.Select(r => (string)r!["match"]!));
        Assert.Equal(Subject.Masked, (string?)records[0]!["maskedIdNumber"]);

        var summary = JsonNode.Parse(events[4].Item.Data)!;
        Assert.True((bool)summary["partial"]!);
        Assert.Equal(2, (int)summary["found"]!);
        Assert.Equal(["330100", "330200", "330300", "330400"], summary["nodes"]!.AsArray().Select(n => (string)n!["nodeId"]!));
        Assert.Equal("timeout", summary.Status("330200"));
        Assert.DoesNotContain(Subject.Value, string.Concat(events.Select(e => e.Item.Data)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_IsTheJsonSearchDelivered_SameRecordsAndOutcomes()
    {
        await using var a = await TestNode.StartAsync("330100", records: [Marriage("330100")]);
        await using var b = await TestNode.StartAsync("330200", records: [Marriage("330200", MatchKind.Probable)]);
        await using var gateway = GatewayHost.Start([a, b]);

        var (_, json) = await gateway.Client.PostJsonAsync("/api/v1/records/search", Body());
        var events = await ReadAllAsync(gateway.Client, Body());

        var streamed = events.Where(e => e.EventType == "node").SelectMany(e => JsonNode.Parse(e.Data)!["records"]!.AsArray()).Select(r => (string)r!["recordId"]!);
        Assert.Equal(json["records"]!.AsArray().Select(r => (string)r!["recordId"]!).Order(StringComparer.Ordinal), streamed.Order(StringComparer.Ordinal));
        var summary = JsonNode.Parse(events[^1].Data)!;
        static IEnumerable<string> Outcomes(JsonNode answer) => answer["nodes"]!.AsArray().Select(n => $"{n!["nodeId"]} {n["status"]} {n["hitCount"]}");
        Assert.Equal(Outcomes(json), Outcomes(summary));
        Assert.False((bool)summary["partial"]!);
    }

    [Fact]
    public async Task Stream_IsRegisteredBeforeItsFirstEvent_AndNotServedWhenItCannotBe()
    {
        await using var world = await AuditWorld.StartAsync();
        var zheliban = world.As("zheliban", "records.search");
        var chen = new { subject = new { idNumber = CertificateWorld.ChenId, name = "陈建国" }, categories = new[] { "marriage" }, regions = new[] { "32" }, purpose = "办理退休手续" };

        var events = await ReadAllAsync(zheliban, chen);
        var entry = Assert.Single(await world.EntriesAsync(subjectIdNumber: CertificateWorld.ChenId))!;

        Assert.Contains(AuditWorld.NanjingMarriage, events[0].Data, StringComparison.Ordinal);
        Assert.Equal("records.search", (string?)entry["action"]);
        Assert.Equal("zheliban", (string?)entry["clientId"]);
        Assert.Equal(AuditWorld.SubjectKeyOf(CertificateWorld.ChenId), (string?)entry["subjectId"]);
        Assert.Equal("办理退休手续", (string?)entry["purpose"]);
        Assert.Equal(["320100"], entry["nodes"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("stream", (string?)entry["outcome"]);

        await world.ExecuteSqlAsync("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit store refuses'); END;");
        var asked = world.Nanjing.RequestsTo("/node/v1/records/search");
        using var refused = await PostAsync(zheliban, chen);
        var text = await refused.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(AuditWorld.NanjingMarriage, text, StringComparison.Ordinal);
        Assert.Equal(asked, world.Nanjing.RequestsTo("/node/v1/records/search"));
    }

    [Fact]
    public async Task Stream_WithoutToken_Is401_WithoutTheScope_Is403()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);
        using var catalogueOnly = gateway.ClientAs("zheliban", "catalog.read");

        using var anonymous = await PostAsync(gateway.Anonymous, Body());
        using var unscoped = await PostAsync(catalogueOnly, Body());

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, unscoped.StatusCode);
        Assert.Contains("records.search", unscoped.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, node.RequestsTo("/node/v1/records/search"));
    }

    [Theory]
    [InlineData("partner-anhui", new[] { "military-service" }, new string[0], "categories")]
    [InlineData("partner-shanghai", new[] { "marriage" }, new[] { "32" }, "regions")]
    public async Task Stream_OutsideTheAgreement_Is403NamingTheField(string client, string[] categories, string[] regions, string field)
    {
        await using var hangzhou = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([hangzhou]);
        using var partner = gateway.ClientAs(client, "records.search");

        using var response = await PostAsync(partner, Body(categories, regions));
        var body = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, (string)body["field"]!);
        Assert.Null(hangzhou.LastRecordSearch);
    }

    [Theory]
    [InlineData("""{"subject":{"idNumber":"330106196005041235"},"purpose":"x"}""", "subject.idNumber", HttpStatusCode.BadRequest)]
    [InlineData("""{"subject":{"name":"张三"},"purpose":"x"}""", "subject", HttpStatusCode.BadRequest)]
    [InlineData("""{"subject":{"name":"张三","birthDate":"1960-05-04"}}""", "purpose", HttpStatusCode.BadRequest)]
    [InlineData("""{"subject":{"name":"张三","birthDate":"1960-05-04"},"categories":["poetry"],"purpose":"x"}""", "categories[0]", HttpStatusCode.BadRequest)]
    [InlineData("""{"subject":{"name":"张三","birthDate":"1960-05-04"},"purpose":"x","extra":1}""", "extra", HttpStatusCode.BadRequest)]
    public async Task Stream_BadInput_IsAProblemNamingTheField_BeforeAnyStream(string json, string field, HttpStatusCode status)
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        using var response = await gateway.Client.PostAsync(Path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"{field}\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("330106196005041235", text, StringComparison.Ordinal);
        Assert.Equal(0, node.RequestsTo("/node/v1/records/search"));
    }

    [Fact]
    public async Task Stream_BodyTooLarge_Is413_NotJson_Is415()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        using var large = await gateway.Client.PostAsync(Path, new StringContent("{\"purpose\":\"" + new string('x', 100_000) + "\"}", Encoding.UTF8, "application/json"), Ct);
        using var form = await gateway.Client.PostAsync(Path, new StringContent("subject=x", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = JsonContent.Create(body, options: JsonSerializerOptions.Web) };
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
    }

    private static async Task<List<SseItem<string>>> ReadAllAsync(HttpClient client, object body)
    {
        using var response = await PostAsync(client, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(Ct))
        {
            events.Add(item);
        }

        return events;
    }
}

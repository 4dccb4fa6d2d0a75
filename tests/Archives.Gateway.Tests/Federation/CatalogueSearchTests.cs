using System.Net;
using System.Text.Json.Nodes;
using Archives.Contracts;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Federation;

public sealed class CatalogueSearchTests
{
    private const string Q = "%E6%A1%A3%E6%A1%88"; // 档案

    [Fact]
    public async Task Search_MergesNodesByReciprocalRankFusion_InterleavingByRank()
    {
        await using var hangzhou = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 5));
        await using var ningbo = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 5));
        await using var gateway = GatewayHost.Start([hangzhou, ningbo]);

        var (response, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&limit=4");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["330100-0001", "330200-0001", "330100-0002", "330200-0002"], Ids(body));
        var scores = body["entries"]!.AsArray().Select(e => (double)e!["score"]!).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.Equal(10, (long)body["total"]!);
        Assert.False((bool)body["partial"]!);
        Assert.Equal("ok", body.Status("330100"));
        Assert.Equal(5, (long)body["nodes"]![0]!["hitCount"]!);
        Assert.Equal("测试档案馆330100", (string)body["nodes"]![0]!["nameZh"]!);
        Assert.Equal("Test Archives 330100", (string)body["nodes"]![0]!["nameEn"]!);
    }

    [Fact]
    public async Task Search_FacetsAreSummedAcrossNodes()
    {
        await using var hangzhou = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 4));
        await using var ningbo = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 6));
        await using var gateway = GatewayHost.Start([hangzhou, ningbo]);

        var (_, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}");

        var categories = body["facets"]!["categories"]!.AsArray().ToDictionary(f => (string)f!["value"]!, f => (long)f!["count"]!);
        Assert.Equal(5, categories["documents"]);
        Assert.Equal(5, categories["photographs"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(30)]
    public async Task Paging_AcrossUnevenNodes_NeitherRepeatsNorSkips(int limit)
    {
        await using var a = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 7));
        await using var b = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 13));
        b.MaxPageSize = 2; // pages smaller than asked: the merge must stop at its fetched entries, not skip
        await using var c = await TestNode.StartAsync("330300", Catalogue.Entries("330300", 2));
        await using var empty = await TestNode.StartAsync("330400");
        await using var gateway = GatewayHost.Start([a, b, c, empty]);

        var seen = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 100; page++)
        {
            var url = $"/api/v1/catalog/search?q={Q}&limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var (response, body) = await gateway.Client.GetJsonAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var ids = Ids(body);
            Assert.True(ids.Count <= limit);
            seen.AddRange(ids);
            cursor = (string?)body["nextCursor"];
            if (cursor is null)
            {
                break;
            }
        }

        Assert.Null(cursor);
        Assert.Equal(22, seen.Count);
        Assert.Equal(22, seen.Distinct().Count());
        foreach (var node in new[] { a, b, c })
        {
            // Each node's entries keep the node's own order.
            var own = seen.Where(id => id.StartsWith(node.NodeId, StringComparison.Ordinal)).ToList();
            Assert.Equal(own.Order(StringComparer.Ordinal), own);
        }
    }

    [Fact]
    public async Task Search_AsksEachNodeOnlyForItsShareOfThePage_WithHeadroom()
    {
        await using var a = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 10));
        await using var b = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 10));
        await using var c = await TestNode.StartAsync("330300", Catalogue.Entries("330300", 10));
        await using var d = await TestNode.StartAsync("330400", Catalogue.Entries("330400", 10));
        await using var gateway = GatewayHost.Start([a, b, c, d]);

        var (_, first) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&limit=8");
        var (_, second) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&limit=8&cursor={Uri.EscapeDataString((string)first["nextCursor"]!)}");

        // A page of 8 over 4 nodes takes 2 entries from each; each node is asked for twice that (headroom for
        // nodes with fewer hits), not for 8. The second page resumes 2 entries into the node's first page.
        Assert.Equal(["330100-0001", "330200-0001", "330300-0001", "330400-0001", "330100-0002", "330200-0002", "330300-0002", "330400-0002"], Ids(first));
        Assert.Equal(["330100-0003", "330200-0003", "330300-0003", "330400-0003", "330100-0004", "330200-0004", "330300-0004", "330400-0004"], Ids(second));
        foreach (var node in new[] { a, b, c, d })
        {
            Assert.Equal([4, 6], node.CatalogueLimits);
        }

        Assert.Equal(40, (long)first["total"]!);
        Assert.Equal(10, (long)first["nodes"]![0]!["hitCount"]!);
    }

    [Fact]
    public async Task Search_WhenFewNodesHaveHits_AsksThemAgainForTheRest_AndFillsThePage()
    {
        await using var holder = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 30));
        await using var b = await TestNode.StartAsync("330200");
        await using var c = await TestNode.StartAsync("330300");
        await using var d = await TestNode.StartAsync("330400");
        await using var gateway = GatewayHost.Start([holder, b, c, d]);

        var (_, first) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&limit=20");
        var (_, second) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&limit=20&cursor={Uri.EscapeDataString((string)first["nextCursor"]!)}");

        // Each node's share was 5 (asked 10); only one node has hits, so the page came up 10 short and that
        // node alone was asked again, for the 10 the page lacked. The other nodes were asked once.
        Assert.Equal([.. Enumerable.Range(1, 20).Select(i => $"330100-{i:D4}")], Ids(first));
        Assert.Equal([10, 10, 20], holder.CatalogueLimits);
        Assert.Equal(1, b.RequestsTo("/node/v1/catalog/search"));
        Assert.Equal([.. Enumerable.Range(21, 10).Select(i => $"330100-{i:D4}")], Ids(second));
        Assert.Null(second["nextCursor"]);
        Assert.False((bool)first["partial"]!);
        Assert.Equal(30, (long)first["total"]!);
    }

    [Fact]
    public async Task Paging_ExhaustedNodesAreNotAskedAgain()
    {
        await using var small = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 1));
        await using var large = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 10));
        await using var gateway = GatewayHost.Start([small, large]);

        var (_, first) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&limit=4");
        var (_, second) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&limit=4&cursor={Uri.EscapeDataString((string)first["nextCursor"]!)}");

        Assert.Equal(1, small.RequestsTo("/node/v1/catalog/search"));
        Assert.DoesNotContain(second["nodes"]!.AsArray(), n => (string)n!["nodeId"]! == "330100");
        Assert.Equal(["330200-0004", "330200-0005", "330200-0006", "330200-0007"], Ids(second));
    }

    [Fact]
    public async Task Cursor_OfAnotherQuery_Is400NamingCursor()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 10));
        await using var gateway = GatewayHost.Start([node]);
        var (_, first) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&limit=2");

        var (response, problem) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q=other&limit=2&cursor={Uri.EscapeDataString((string)first["nextCursor"]!)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]!["cursor"]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("from=2000&to=1990", "from")]
    [InlineData("from=year", "from")]
    [InlineData("to=99999999999", "to")]
    [InlineData("region=3", "region")]
    [InlineData("region=990000", "region")]
    [InlineData("region=33a1", "region")]
    [InlineData("category=poetry", "category")]
    [InlineData("nodes=330100,999999", "nodes")]
    [InlineData("nodes=330100,330100,330100,330100", "nodes")]
    [InlineData("q=a&q=b", "q")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=eyJ2IjoxfQ", "cursor")]
    [InlineData("cursor=%FF%FE", "cursor")]
    public async Task BadInput_Is400ProblemNamingTheField(string query, string field)
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node], new Dictionary<string, string?> { ["Gateway:Federation:MaxNodesPerRequest"] = "3" });

        var (response, problem) = await gateway.Client.GetJsonAsync("/api/v1/catalog/search?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(0, node.RequestsTo("/node/v1/catalog/search"));
    }

    [Fact]
    public async Task BadInput_QueryLongerThanTheContractAllows_Is400NamingQ()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        var (response, problem) = await gateway.Client.GetJsonAsync("/api/v1/catalog/search?q=" + new string('档', 101));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]!["q"]);
    }

    [Fact]
    public async Task Region_SelectsOnlyNodesWhoseDivisionStartsWithIt()
    {
        await using var hangzhou = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 2));
        await using var shanghai = await TestNode.StartAsync("310000", Catalogue.Entries("310000", 2));
        await using var gateway = GatewayHost.Start([hangzhou, shanghai]);

        var (_, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&region=33");

        Assert.Equal(["330100"], body["nodes"]!.AsArray().Select(n => (string)n!["nodeId"]!));
        Assert.Equal(0, shanghai.RequestsTo("/node/v1/catalog/search"));
    }

    [Fact]
    public async Task Nodes_SelectsOnlyTheNamedNodes()
    {
        await using var hangzhou = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 2));
        await using var ningbo = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 2));
        await using var gateway = GatewayHost.Start([hangzhou, ningbo]);

        var (_, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&nodes=330200");

        Assert.Equal(["330200"], body["nodes"]!.AsArray().Select(n => (string)n!["nodeId"]!));
    }

    [Fact]
    public async Task Search_PassesTheNormalisedQueryToNodes()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3, word: "婚姻 登记"));
        await using var gateway = GatewayHost.Start([node]);

        var (_, body) = await gateway.Client.GetJsonAsync("/api/v1/catalog/search?q=%20%20%E5%A9%9A%E5%A7%BB%20%20%20%E7%99%BB%E8%AE%B0%20&from=1950&to=2010");

        Assert.Equal(3, Ids(body).Count);
    }

    [Fact]
    public async Task Search_OverHundredsOfNodes_AsksEachOnce_UnderTheCallersTrace_AndReportsEveryOne()
    {
        // 250 registry entries at one real node: more than one slice of calls (they start side by side).
        await using var archive = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        var nodes = Enumerable.Range(1, 250).Select(i => new NodeAt($"33{i:D4}", archive)).ToList();
        await using var gateway = GatewayHost.Start(nodes);
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/catalog/search?q={Q}&region=33&limit=10");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await gateway.Client.SendAsync(request, Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((bool)body["partial"]!);
        Assert.Equal(nodes.Select(n => n.NodeId).Order(StringComparer.Ordinal), body["nodes"]!.AsArray().Select(n => (string)n!["nodeId"]!).Order(StringComparer.Ordinal));
        Assert.All(body["nodes"]!.AsArray(), n => Assert.Equal("ok", (string)n!["status"]!));
        Assert.Equal(10, Ids(body).Count);
        Assert.Equal(250, archive.RequestsTo("/node/v1/catalog/search"));
        Assert.All(archive.ReceivedTraceParents, header => Assert.StartsWith($"00-{traceId}-", header, StringComparison.Ordinal));
    }

    internal static List<string> Ids(JsonNode body) => [.. body["entries"]!.AsArray().Select(e => (string)e!["id"]!)];
}

/// <summary>A registry entry of its own for an archive that answers at another node's address.</summary>
internal sealed record NodeAt(string NodeId, IArchiveNodeUnderTest Archive) : IArchiveNodeUnderTest
{
    public string NameZh => $"测试档案馆{NodeId}";

    public string NameEn => $"Test Archives {NodeId}";

    public IReadOnlyList<RecordCategory> Categories => Archive.Categories;

    public Uri BaseAddress => Archive.BaseAddress;
}

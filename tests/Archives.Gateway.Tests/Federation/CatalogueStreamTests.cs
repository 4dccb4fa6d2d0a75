using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Federation;

public sealed class CatalogueStreamTests
{
    private const string Q = "%E6%A1%A3%E6%A1%88"; // 档案

    [Fact]
    public async Task Stream_FlushesTheFirstNodesEventWhileAnotherNodeIsStillOut()
    {
        await using var fast = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var hang = await TestNode.StartAsync("330200");
        hang.Fault = NodeFault.Hang;
        await using var gateway = GatewayHost.Start([fast, hang], new Dictionary<string, string?> { ["Gateway:Federation:Deadline"] = "00:00:30" });

        using var response = await gateway.Client.GetAsync($"/api/v1/catalog/search/stream?q={Q}", HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        await using var events = SseParser.Create(body).EnumerateAsync(Ct).GetAsyncEnumerator(Ct);

        // The hanging node holds the search for 30 s; the first event must not wait for it.
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15), Ct));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("node", events.Current.EventType);
        var data = JsonNode.Parse(events.Current.Data)!;
        Assert.Equal("330100", (string)data["node"]!["nodeId"]!);
        Assert.Equal("ok", (string)data["node"]!["status"]!);
        Assert.Equal(3, data["entries"]!.AsArray().Count);
    }

    [Fact]
    public async Task Stream_SendsOneEventPerNodeThenASummaryWhoseCursorContinuesAfterEveryDeliveredEntry()
    {
        await using var a = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 5));
        await using var b = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 3));
        await using var bad = await TestNode.StartAsync("330300");
        bad.Fault = NodeFault.ServerError;
        await using var gateway = GatewayHost.Start([a, b, bad]);

        using var response = await gateway.Client.GetAsync($"/api/v1/catalog/search/stream?q={Q}&limit=2", HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(Ct))
        {
            events.Add(item);
        }

        Assert.Equal(["node", "node", "node", "summary"], events.Select(e => e.EventType));
        var delivered = events.Take(3).SelectMany(e => JsonNode.Parse(e.Data)!["entries"]!.AsArray().Select(x => (string)x!["id"]!)).ToList();
        var summary = JsonNode.Parse(events[3].Data)!;
        Assert.True((bool)summary["partial"]!);
        Assert.Equal("error", summary.Status("330300"));
        Assert.Equal(8, (long)summary["total"]!);

        var (_, next) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&limit=10&cursor={Uri.EscapeDataString((string)summary["nextCursor"]!)}");
        var rest = CatalogueSearchTests.Ids(next);
        Assert.Empty(rest.Intersect(delivered));
        Assert.Equal(8, delivered.Count + rest.Count);
    }

    [Fact]
    public async Task Stream_BadInput_Is400Problem()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        var (response, problem) = await gateway.Client.GetJsonAsync("/api/v1/catalog/search/stream?limit=1000");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]!["limit"]);
    }
}

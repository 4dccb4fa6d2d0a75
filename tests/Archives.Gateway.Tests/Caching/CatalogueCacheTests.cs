using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Archives.Contracts;
using Archives.Gateway.Caching;
using Archives.Gateway.Tests.Fixtures;
using Archives.Testing;

namespace Archives.Gateway.Tests.Caching;

public sealed class CatalogueCacheTests
{
    private const string Search = "/api/v1/catalog/search?q=%E6%A1%A3%E6%A1%88";

    [Fact]
    public async Task IdenticalSearch_IsAnsweredFromTheCache_WithoutAskingNodesAgain()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var gateway = GatewayHost.Start([node]);

        var (_, first) = await gateway.Client.GetJsonAsync(Search);
        var (_, second) = await gateway.Client.GetJsonAsync(Search);

        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Equal(1, node.RequestsTo("/node/v1/catalog/search"));
    }

    [Fact]
    public async Task Hit_WritesTheMissBytes_WhichAreTheAnswerAsTheApiSerialisesIt()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var gateway = GatewayHost.Start([node]);

        using var miss = await gateway.Client.GetAsync(Search, Ct);
        using var hit = await gateway.Client.GetAsync(Search, Ct);
        var missBytes = await miss.Content.ReadAsByteArrayAsync(Ct);
        var hitBytes = await hit.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(1, node.RequestsTo("/node/v1/catalog/search"));
        Assert.Equal(missBytes, hitBytes);
        Assert.Equal("application/json; charset=utf-8", miss.Content.Headers.ContentType?.ToString());
        Assert.Equal("application/json; charset=utf-8", hit.Content.Headers.ContentType?.ToString());
        // What Ok<CatalogueSearchAnswer> wrote before the cache held bytes: the contract's answer with minimal
        // APIs' own JSON options (web defaults, relaxed escaping) and nulls left out (one node: no nextCursor).
        var answer = JsonSerializer.Deserialize<CatalogueSearchAnswer>(missBytes, JsonSerializerOptions.Web)!;
        var api = new JsonSerializerOptions(new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        Assert.Equal(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(answer, api)), Encoding.UTF8.GetString(missBytes));
        Assert.Null(answer.NextCursor);
        Assert.DoesNotContain("\"nextCursor\"", Encoding.UTF8.GetString(missBytes), StringComparison.Ordinal);
        Assert.Equal(3, answer.Entries.Count);
    }

    [Fact]
    public async Task InvalidatingANode_EvictsTheWideSearchesItAnswered_WhichAreTaggedByProvince()
    {
        // One node more than an entry is tagged for node by node: the region-wide page is tagged by province.
        var nodes = await Task.WhenAll(Enumerable.Range(1, CacheKeys.MaxNodeTags + 1)
            .Select(i => TestNode.StartAsync($"33{i:D2}00", Catalogue.Entries($"33{i:D2}00", 1))));
        await using var shanghai = await TestNode.StartAsync("310100", Catalogue.Entries("310100", 1));
        try
        {
            await using var gateway = GatewayHost.Start([.. nodes, shanghai]);
            var wide = Search + "&region=33";
            var (_, first) = await gateway.Client.GetJsonAsync(wide);
            await gateway.Client.GetJsonAsync(Search + "&region=31");
            Assert.Equal(CacheKeys.MaxNodeTags + 1, first["nodes"]!.AsArray().Count);

            await gateway.Client.GetJsonAsync(wide);
            Assert.Equal(1, nodes[^1].RequestsTo("/node/v1/catalog/search"));

            var invalidate = await gateway.Operator.PostAsync($"/api/v1/admin/nodes/{nodes[^1].NodeId}/invalidate", null, Ct);
            await gateway.Client.GetJsonAsync(wide);
            await gateway.Client.GetJsonAsync(Search + "&region=31");

            Assert.Equal(HttpStatusCode.NoContent, invalidate.StatusCode);
            Assert.All(nodes, n => Assert.Equal(2, n.RequestsTo("/node/v1/catalog/search")));
            Assert.Equal(1, shanghai.RequestsTo("/node/v1/catalog/search"));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task HundredConcurrentIdenticalMisses_CauseOneFanOut()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        node.Delay = TimeSpan.FromMilliseconds(500);
        await using var gateway = GatewayHost.Start([node]);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => gateway.Client.GetAsync(Search, Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, node.RequestsTo("/node/v1/catalog/search"));
    }

    [Fact]
    public async Task InvalidatingANode_EvictsItsEntries_AndOnlyItsEntries()
    {
        await using var hangzhou = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var ningbo = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 3));
        await using var gateway = GatewayHost.Start([hangzhou, ningbo]);
        await gateway.Client.GetJsonAsync(Search + "&nodes=330100");
        await gateway.Client.GetJsonAsync(Search + "&nodes=330200");

        var invalidate = await gateway.Operator.PostAsync("/api/v1/admin/nodes/330100/invalidate", null, Ct);
        await gateway.Client.GetJsonAsync(Search + "&nodes=330100");
        await gateway.Client.GetJsonAsync(Search + "&nodes=330200");

        Assert.Equal(HttpStatusCode.NoContent, invalidate.StatusCode);
        Assert.Equal(2, hangzhou.RequestsTo("/node/v1/catalog/search"));
        Assert.Equal(1, ningbo.RequestsTo("/node/v1/catalog/search"));
    }

    [Fact]
    public async Task RegistryChangeOfANode_EvictsItsEntries_AndOnlyItsEntries()
    {
        await using var hangzhou = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var replica = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var ningbo = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 3));
        await using var gateway = GatewayHost.Start([hangzhou, ningbo]);
        await gateway.Client.GetJsonAsync(Search + "&nodes=330100");
        await gateway.Client.GetJsonAsync(Search + "&nodes=330200");
        await gateway.Client.GetJsonAsync("/api/v1/nodes/330100");

        // The node's change event: Hangzhou's registry entry gains a replica (ningbo's is rewritten unchanged).
        gateway.WriteRegistry([new(hangzhou, [hangzhou.BaseAddress, replica.BaseAddress]), new(ningbo)]);

        int HangzhouSearches() => hangzhou.RequestsTo("/node/v1/catalog/search") + replica.RequestsTo("/node/v1/catalog/search");
        await Eventually.TrueAsync(async () =>
        {
            await gateway.Client.GetJsonAsync(Search + "&nodes=330100");
            return HangzhouSearches() == 2;
        });
        await gateway.Client.GetJsonAsync(Search + "&nodes=330200");
        await gateway.Client.GetJsonAsync("/api/v1/nodes/330100");
        Assert.Equal(1, ningbo.RequestsTo("/node/v1/catalog/search"));
        Assert.Equal(2, hangzhou.RequestsTo("/node/v1/info") + replica.RequestsTo("/node/v1/info"));
    }

    [Fact]
    public async Task NodeInfo_IsCached_AndEvictedWithTheNode()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        await gateway.Client.GetJsonAsync("/api/v1/nodes/330100");
        await gateway.Client.GetJsonAsync("/api/v1/nodes/330100");
        Assert.Equal(1, node.RequestsTo("/node/v1/info"));

        await gateway.Operator.PostAsync("/api/v1/admin/nodes/330100/invalidate", null, Ct);
        await gateway.Client.GetJsonAsync("/api/v1/nodes/330100");
        Assert.Equal(2, node.RequestsTo("/node/v1/info"));
    }

    [Fact]
    public async Task InvalidatingAnUnknownNode_Is404Problem()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        var response = await gateway.Operator.PostAsync("/api/v1/admin/nodes/999999/invalidate", null, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PartialAnswer_IsKeptOnlyBriefly_SoARecoveredNodeShowsUp()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        node.Fault = NodeFault.ServerError;
        await using var gateway = GatewayHost.Start([node], new Dictionary<string, string?> { ["Gateway:Cache:PartialCatalogueDuration"] = "00:00:00.5" });
        var (_, failed) = await gateway.Client.GetJsonAsync(Search);
        Assert.Equal("error", failed.Status("330100"));

        node.Fault = NodeFault.None;

        await Eventually.TrueAsync(async () => (await gateway.Client.GetJsonAsync(Search)).Body.Status("330100") == "ok");
    }
}

/// <summary>Redis that is configured but not there.</summary>
public sealed class RedisDownTests
{
    [Fact]
    public async Task RedisUnreachable_SearchesStillAnswerFromNodesAndMemory_WithoutWaitingForRedisEachTime()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        using var unused = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        unused.Start();
        var port = ((System.Net.IPEndPoint)unused.LocalEndpoint).Port;
        unused.Stop();
        await using var gateway = GatewayHost.Start([node], new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{port},abortConnect=false,connectTimeout=500",
        });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (response, body) = await gateway.Client.GetJsonAsync("/api/v1/catalog/search?q=%E6%A1%A3%E6%A1%88");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.Status("330100"));
        // Redis' timeouts are 1 s here (5 s by default); the bound is generous for shared machines.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        clock.Restart();
        var (_, again) = await gateway.Client.GetJsonAsync("/api/v1/catalog/search?q=%E6%A1%A3%E6%A1%88&limit=3");
        Assert.Equal("ok", again.Status("330100"));
        // L2 is switched off after the first failure, so the next search does not wait for Redis.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }
}

/// <summary>Two gateway instances sharing a real Redis (L2 + backplane).</summary>
public sealed class DistributedCacheTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string Search = "/api/v1/catalog/search?q=%E6%A1%A3%E6%A1%88";

    // A generous Redis timeout: these tests are about sharing through Redis, not about a slow Redis
    // (on a loaded machine a 1 s timeout would send an instance to the node instead).
    private Dictionary<string, string?> Settings => new()
    {
        ["ConnectionStrings:Redis"] = redis.ConnectionString,
        ["Gateway:Cache:RedisTimeout"] = "00:00:10",
    };

    [Fact]
    public async Task SecondInstance_IsAnsweredFromRedis_WithoutAskingTheNode()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var first = GatewayHost.Start([node], Settings);
        await using var second = GatewayHost.Start([new RegistryEntry(node)], Settings, first.RegistryPath);
        var search = Search + "&limit=" + Random.Shared.Next(1, 100);

        var (_, a) = await first.Client.GetJsonAsync(search);
        var (_, b) = await second.Client.GetJsonAsync(search);

        Assert.Equal(a.ToJsonString(), b.ToJsonString());
        Assert.Equal(1, node.RequestsTo("/node/v1/catalog/search"));
    }

    [Fact]
    public async Task InvalidatingOnOneInstance_EvictsTheNodesEntriesOnEveryInstance()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var first = GatewayHost.Start([node], Settings);
        await using var second = GatewayHost.Start([new RegistryEntry(node)], Settings, first.RegistryPath);
        var search = Search + "&limit=" + Random.Shared.Next(1, 100);
        await first.Client.GetJsonAsync(search);
        await second.Client.GetJsonAsync(search); // now in the second instance's memory (L1) too
        Assert.Equal(1, node.RequestsTo("/node/v1/catalog/search"));

        var invalidate = await first.Operator.PostAsync("/api/v1/admin/nodes/330100/invalidate", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, invalidate.StatusCode);

        // The backplane message reaches the second instance asynchronously.
        await Eventually.TrueAsync(async () =>
        {
            await second.Client.GetJsonAsync(search);
            return node.RequestsTo("/node/v1/catalog/search") == 2;
        });
    }
}

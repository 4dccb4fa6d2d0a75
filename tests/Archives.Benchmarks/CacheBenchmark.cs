using System.Text.Json;

namespace Archives.Benchmarks;

/// <summary>
/// <c>cache</c>: federated catalogue search through the gateway, over simulated nodes answering in a
/// fixed latency, as a cache miss (every query new), a memory (L1) hit, and with Redis as L2: a miss
/// (the answer is also written to Redis), an L1 hit, and an L1 miss that Redis answers (a second gateway
/// instance on the same Redis reads what the first one cached). Each scenario once with one client
/// (latency) and once with several (throughput).
/// Options: <c>--nodes N</c> (20), <c>--latency MS</c> (20), <c>--requests N</c> (300), <c>--clients N</c> (8).
/// </summary>
internal static class CacheBenchmark
{
    private const string Part = "cache";

    /// <summary>How many distinct queries the hit scenarios repeat.</summary>
    private const int Hot = 10;

    public static async Task RunAsync(BenchmarkRun run)
    {
        var nodeCount = run.Int("--nodes", 20, 5);
        var latency = TimeSpan.FromMilliseconds(run.Int("--latency", 20, 20));
        var requests = run.Int("--requests", 300, 30);
        var clients = run.Int("--clients", 8, 2);
        run.Notes.Add($"cache: catalogue search (region 33, limit 20) over {nodeCount} simulated nodes answering in {latency.TotalMilliseconds:0} ms; "
            + $"{requests} requests with 1 client, then {requests * 4} with {clients} clients; miss = a query never asked, hit = a few queries asked before; "
            + "Redis: a real redis-server, ConnectionStrings:Redis on both gateway instances (FusionCache L2 + backplane).");

        await using var nodes = await SimulatedNodes.StartAsync(nodeCount, latency);
        await using (var gateway = await GatewayProcess.StartAsync(run, nodes.Nodes))
        {
            using var client = Client(gateway);
            await WarmUpAsync(client);
            await MeasureAsync(run, nodes, "memory L1: miss", requests, clients, i => SearchAsync(client, $"l1miss{i}"));
            await MeasureAsync(run, nodes, "memory L1: hit", requests, clients, i => SearchAsync(client, $"hot{i % Hot}"));
        }

        await using var redis = await BenchmarkRun.StartRedisAsync();
        var withRedis = $"--ConnectionStrings:Redis={redis.ConnectionString}";
        await using var first = await GatewayProcess.StartAsync(run, nodes.Nodes, withRedis);
        await using var second = await GatewayProcess.StartAsync(run, nodes.Nodes, withRedis);
        using var firstClient = Client(first);
        using var secondClient = Client(second);
        await WarmUpAsync(firstClient);
        await WarmUpAsync(secondClient);
        await MeasureAsync(run, nodes, "Redis L2: miss", requests, clients, i => SearchAsync(firstClient, $"l2miss{i}"));
        await MeasureAsync(run, nodes, "Redis L2: L1 hit", requests, clients, i => SearchAsync(firstClient, $"hot{i % Hot}"));

        // The first instance caches every query once (in its memory and in Redis); the second instance has
        // each of them in Redis only, so its first read of each is an L1 miss and an L2 hit.
        BenchmarkRun.Progress(Part, "filling Redis through the first instance");
        // Operations are handed out in order and every started one finishes, so the filled queries are shared0 … shared{filled - 1}.
        var filled = (await Load.RunAsync(requests * 5, clients, i => SearchAsync(firstClient, $"shared{i}"), run.MaxPerMeasurement)).Latencies.Count;
        await MeasureAsync(run, nodes, "Redis L2: L1 miss, L2 hit (second instance)", Math.Min(requests, filled / 5), clients, i => SearchAsync(secondClient, $"shared{i}"));
    }

    private static HttpClient Client(GatewayProcess gateway) => new() { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// JIT, connections to every node, their health state: nothing of it belongs to the first measured
    /// request. Then the ten "hot" queries, so that every hit scenario's first request is a hit.
    /// </summary>
    private static async Task WarmUpAsync(HttpClient client)
    {
        await Load.RunAsync(20, 2, _ => SearchAsync(client, $"warm{Guid.NewGuid():N}"));
        await Load.RunAsync(Hot, 1, i => SearchAsync(client, $"hot{i}"));
    }

    /// <summary>
    /// One client for latency, then several for throughput. Operation numbers of the second run follow
    /// the first's, so that a "miss" query is never repeated and a "hit" one always was.
    /// </summary>
    /// <remarks>The node searches per request show what the scenario really was: 0 for a hit, one per node for a miss.</remarks>
    private static async Task MeasureAsync(BenchmarkRun run, SimulatedNodes nodes, string scenario, int requests, int clients, Func<int, Task> search)
    {
        foreach (var (count, concurrency, first) in new[] { (requests, 1, 0), (requests * 4, clients, requests) })
        {
            var before = nodes.Searches;
            var result = await Load.RunAsync(count, concurrency, i => search(first + i), run.MaxPerMeasurement);
            run.Add(result.Row(Part, $"{scenario}, {concurrency} client{(concurrency == 1 ? "" : "s")}", "req/s") with
            {
                // Per request that ran: a measurement stopped by its time limit runs fewer than it was given.
                Result = $"{Report.Number((nodes.Searches - before) / (double)Math.Max(1, result.Latencies.Count), "0.##")} node searches per request",
            });
        }
    }

    private static async Task SearchAsync(HttpClient client, string word)
    {
        using var response = await client.GetAsync(new Uri($"/api/v1/catalog/search?q={Uri.EscapeDataString("档案" + word)}&region=33&limit=20", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var answer = await JsonDocument.ParseAsync(body);
        if (answer.RootElement.GetProperty("partial").GetBoolean())
        {
            throw new InvalidOperationException($"A partial answer for '{word}': a node did not answer in time, so the cache scenario is not what it says.");
        }
    }
}

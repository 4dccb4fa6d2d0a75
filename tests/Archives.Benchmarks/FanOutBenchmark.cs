using System.Diagnostics;
using System.Text.Json;

namespace Archives.Benchmarks;

/// <summary>
/// Federated catalogue search against many simulated nodes, each answering in a fixed latency:
/// how close the gateway comes to the physical limit of a fan-out (the slowest node), how a cache
/// hit compares, and whether hanging nodes cost more than the deadline.
/// </summary>
internal static class FanOutBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (Report.Option(args, "--nodes") ?? "100,400").Split(',').Select(int.Parse).ToArray();
        var latency = TimeSpan.FromMilliseconds(Report.IntOption(args, "--latency", 20));
        var requests = Report.IntOption(args, "--requests", 200);
        var deadline = TimeSpan.FromMilliseconds(Report.IntOption(args, "--deadline-ms", 1000));

        Console.WriteLine($"## fan-out: federated catalogue search, nodes answering in {latency.TotalMilliseconds:0} ms");
        Console.WriteLine();
        Console.WriteLine($"- machine: {Report.Machine}");
        Console.WriteLine($"- gateway: its own process (Release), memory cache only, deadline {deadline.TotalMilliseconds:0} ms; simulated nodes: one process, one loopback port each; client: sequential requests");
        Console.WriteLine($"- goals: p99 under {3 * latency.TotalMilliseconds:0} ms (3× node latency) at 400 nodes; with 10 % hanging, p99 under the deadline + 50 ms and answers partial");
        Console.WriteLine();
        Console.WriteLine("| scenario | nodes | requests | p50 ms | p95 ms | p99 ms | max ms | partial |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

        // The gateway calls nodes with its own node.api token from the real identity server.
        await using var identity = new Archives.Testing.IdentityServerFixture();
        await identity.InitializeAsync();

        foreach (var size in sizes)
        {
            await using var nodes = await SimulatedNodes.StartAsync(size, latency);
            var registry = Path.Combine(Path.GetTempPath(), $"archives-fanout-{Environment.ProcessId}-{size}.json");
            nodes.WriteRegistry(registry);
            try
            {
                await using var gateway = await GatewayProcess.StartAsync(
                [
                    $"--Gateway:RegistryFile={registry}",
                    $"--Gateway:Auth:Authority={identity.Issuer}",
                    $"--Gateway:NodeToken:ClientSecret={identity.SecretOf("gateway")}",
                    $"--Gateway:Federation:Deadline={deadline:c}",

                    // A node's attempt must time out inside the deadline, or a hanging node's calls are
                    // cancelled by the deadline, never counted as failures, and its circuit never opens.
                    $"--Gateway:NodeClient:Resilience:AttemptTimeout:Timeout={deadline * 0.8:c}",
                    $"--Gateway:NodeClient:Resilience:TotalRequestTimeout:Timeout={deadline:c}",
                ]);
                using var client = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(30) };

                // Warm up: connections to every node, JIT, health state.
                await MeasureAsync(client, "warm", 20, distinct: true);
                Print("cache miss", size, await MeasureAsync(client, "miss", requests, distinct: true));
                Print("cache hit", size, await MeasureAsync(client, "hit", requests * 2, distinct: false));

                foreach (var (nodeId, _) in nodes.Nodes.Where((_, i) => i % 10 == 0))
                {
                    nodes.Hanging.Add(nodeId);
                }

                Print("10 % hanging", size, await MeasureAsync(client, "hang", Math.Max(20, requests / 4), distinct: true));
            }
            finally
            {
                File.Delete(registry);
            }
        }

        return 0;
    }

    private static async Task<(List<double> Latencies, int Partial)> MeasureAsync(HttpClient client, string label, int count, bool distinct)
    {
        var latencies = new List<double>(count);
        var partial = 0;
        for (var i = 0; i < count; i++)
        {
            var q = Uri.EscapeDataString(distinct ? $"档案{label}{i}" : "档案");
            var stopwatch = Stopwatch.StartNew();
            using var response = await client.GetAsync(new Uri($"/api/v1/catalog/search?q={q}&region=33&limit=20", UriKind.Relative));
            var body = await response.Content.ReadAsStreamAsync();
            using var answer = await JsonDocument.ParseAsync(body);
            stopwatch.Stop();
            response.EnsureSuccessStatusCode();
            latencies.Add(stopwatch.Elapsed.TotalMilliseconds);
            if (answer.RootElement.GetProperty("partial").GetBoolean())
            {
                partial++;
            }
        }

        latencies.Sort();
        return (latencies, partial);
    }

    private static void Print(string scenario, int nodes, (List<double> Latencies, int Partial) result)
    {
        var l = result.Latencies;
        Console.WriteLine(Report.Row(scenario, nodes, l.Count, Report.Percentile(l, 0.5), Report.Percentile(l, 0.95), Report.Percentile(l, 0.99), l[^1], $"{result.Partial}/{l.Count}"));
    }
}

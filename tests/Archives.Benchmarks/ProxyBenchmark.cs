namespace Archives.Benchmarks;

/// <summary>
/// <c>proxy</c>: the same small-JSON and 1 MiB answers of one backend, direct, through the gateway's
/// <c>/nodes/{nodeId}/…</c> route, and through nginx, in the same run, with wrk. Throughput at many
/// connections (the gateway/nginx ratio), and latency at one connection (the p99 the proxy adds to
/// a request, without queueing behind others on two cores).
/// Options: <c>--duration S</c> (8), <c>--latency-duration S</c> (5), <c>--warmup S</c> (3, the least), <c>--gateway-warmup S</c> (20, the
/// gateway's least), <c>--max-warmup S</c> (30),
/// <c>--connections N</c> (32), <c>--threads N</c> (2), <c>--targets</c> (direct,gateway,nginx), <c>--payloads</c> (small,large):
/// fewer targets or payloads make a quicker run, e.g. to compare two builds of the gateway by its CPU time per request.
/// </summary>
internal static class ProxyBenchmark
{
    private const string Part = "proxy";

    public static async Task RunAsync(BenchmarkRun run)
    {
        await Tools.EnsureAsync(("nginx", "nginx"), ("wrk", "wrk"));
        var duration = run.Seconds("--duration", 8, 2);
        var latencyDuration = run.Seconds("--latency-duration", 5, 2);

        // At least --warmup, then until two 2 s windows in a row agree within 10 % (at most --max-warmup): a gateway
        // just started is still tiering its JIT code for 10 s or more on two busy cores (3 s measured it at a third of
        // its steady rate), while nginx and the backend are steady at once.
        // The gateway's least is longer: the windows can agree while its JIT is still at work (session 11: 219 µs of
        // CPU per request after a 7 s warm-up, 120-154 µs after 30 s), and a deployed gateway runs for days.
        var warmup = run.Seconds("--warmup", 3, 1);
        var gatewayWarmup = run.Seconds("--gateway-warmup", 20, 1);
        var maxWarmup = run.Seconds("--max-warmup", 30, 1);
        var connections = run.Int("--connections", 32, 4);
        var threads = Math.Min(run.Int("--threads", 2, 1), connections);
        run.Notes.Add($"proxy: one Kestrel backend answering a {Backend.SmallPath} JSON (~500 B) and a 1 MiB body; wrk {threads} threads × {connections} connections for {duration.TotalSeconds:0} s "
            + $"(throughput rows), 1 thread × 1 connection for {latencyDuration.TotalSeconds:0} s (latency rows), after a warm-up per target of at least {warmup.TotalSeconds:0} s ({gatewayWarmup.TotalSeconds:0} s for the gateway) and until two 2 s windows agree within 10 % (at most {maxWarmup.TotalSeconds:0} s); the same bearer token sent to all three; "
            + $"gateway: Release process, JWT validation, its own node token, YARP; {NginxProcess.Description}.");

        var identity = await run.IdentityAsync();
        var token = await identity.GetTokenAsync("zheliban", "catalog.read");
        string[] headers = [$"Authorization: Bearer {token}"];

        await using var backend = await Backend.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(run, [backend.Node]);
        await using var nginx = await NginxProcess.StartAsync(backend.Address, Backend.NodeId);

        // The proxy's own process, for its CPU time per request (the backend runs in this process).
        var chosenTargets = (Report.Option(run.Args, "--targets") ?? "direct,gateway,nginx").Split(',');
        var chosenPayloads = (Report.Option(run.Args, "--payloads") ?? "small,large").Split(',');
        var targets = new (string Name, Func<string, Uri> Url, int? Process)[]
        {
            ("direct", path => new Uri(backend.Address, path), null),
            ("gateway", path => new Uri(gateway.Address, $"/nodes/{Backend.NodeId}{path}"), gateway.Id),
            ("nginx", path => new Uri(nginx.Address, $"/nodes/{Backend.NodeId}{path}"), nginx.Id),
        }.Where(t => chosenTargets.Contains(t.Name)).ToArray();
        var payloads = new[] { ("small", "small JSON", Backend.SmallPath), ("large", "1 MiB", Backend.LargePath) }
            .Where(p => chosenPayloads.Contains(p.Item1))
            .Select(p => (p.Item2, p.Item3));

        foreach (var (payload, path) in payloads)
        {
            var throughput = new Dictionary<string, WrkResult>();
            var latency = new Dictionary<string, WrkResult>();
            var cpu = new Dictionary<string, string?>();
            foreach (var (name, url, process) in targets)
            {
                var least = name == "gateway" ? TimeSpan.FromTicks(Math.Max(warmup.Ticks, gatewayWarmup.Ticks)) : warmup;
                var warm = await WarmUpAsync(url(path), threads, connections, least, TimeSpan.FromTicks(Math.Max(maxWarmup.Ticks, least.Ticks)), headers);
                BenchmarkRun.Progress(Part, $"{payload} {name}: warm-up {warm.TotalSeconds:0} s");
                var before = process is { } id ? CpuTime.Of(id) : null;
                throughput[name] = await Wrk.RunAsync(url(path), threads, connections, duration, headers);
                cpu[name] = process is { } measured ? CpuTime.PerRequest(name, before, CpuTime.Of(measured), throughput[name].Requests) : null;
                latency[name] = await Wrk.RunAsync(url(path), 1, 1, latencyDuration, headers);
            }

            // The comparisons need their targets; a run of fewer targets gives the rows alone.
            var compared = throughput.ContainsKey("gateway") && throughput.ContainsKey("nginx") && throughput.ContainsKey("direct");
            foreach (var (name, _, _) in targets)
            {
                var row = throughput[name].Row(Part, $"{payload}, {name}, {connections} connections");
                row = cpu[name] is { } perRequest ? row with { Result = Join(row.Result, perRequest) } : row;
                if (!compared)
                {
                    run.Add(row);
                    continue;
                }

                var ratio = throughput["gateway"].RequestsPerSecond / throughput["nginx"].RequestsPerSecond;
                run.Add(name != "gateway" ? row : row with
                {
                    Result = Join(row.Result, $"{Report.Number(ratio, "0.00")}× nginx"),
                    Goal = "≥ 0.9× nginx",
                    // Errors (a refused token, a failed forward) would make a fast run of the wrong thing.
                    Met = ratio >= 0.9 && throughput["gateway"].Errors == 0 && throughput["nginx"].Errors == 0,
                });
            }

            foreach (var (name, _, _) in targets)
            {
                var row = latency[name].Row(Part, $"{payload}, {name}, 1 connection");
                if (!compared)
                {
                    run.Add(row);
                    continue;
                }

                var added = latency["gateway"].P99 - latency["direct"].P99;
                run.Add(name == "direct" ? row : row with
                {
                    Result = Join(row.Result, $"p99 {Signed(latency[name].P99 - latency["direct"].P99)} ms vs direct"),
                    Goal = name == "gateway" ? "< 1 ms added p99" : null,
                    Met = name == "gateway" ? added < 1 && latency["gateway"].Errors == 0 : null,
                });
            }
        }
    }

    /// <summary>Load for <paramref name="minimum"/>, then in 2 s windows until two in a row agree within 10 % or <paramref name="maximum"/> is spent.</summary>
    private static async Task<TimeSpan> WarmUpAsync(Uri url, int threads, int connections, TimeSpan minimum, TimeSpan maximum, IEnumerable<string> headers)
    {
        var window = TimeSpan.FromSeconds(2);
        await Wrk.RunAsync(url, threads, connections, minimum, headers);
        var spent = minimum;
        if (spent >= maximum)
        {
            return spent;
        }

        var last = (await Wrk.RunAsync(url, threads, connections, window, headers)).RequestsPerSecond;
        spent += window;
        while (spent < maximum)
        {
            var rate = (await Wrk.RunAsync(url, threads, connections, window, headers)).RequestsPerSecond;
            spent += window;
            if (Math.Abs(rate - last) <= 0.1 * Math.Max(rate, last))
            {
                break;
            }

            last = rate;
        }

        return spent;
    }

    private static string Join(string? first, string second) => first is null ? second : $"{second}; {first}";

    private static string Signed(double ms) => (ms >= 0 ? "+" : "") + Report.Number(ms, "0.00");
}

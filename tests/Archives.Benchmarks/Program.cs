using System.Diagnostics;
using Archives.Benchmarks;

// One command runs every part and prints one table; each part also runs alone. Add new parts here.
var parts = new (string Name, string Description, Func<BenchmarkRun, Task> Run)[]
{
    ("proxy", "/nodes/… pass-through vs direct vs nginx (wrk): req/s, p99, gateway/nginx ratio, added p99.", ProxyBenchmark.RunAsync),
    ("streaming", "1 GiB generated body through /nodes/…: gateway peak RSS growth, MB/s.", StreamingBenchmark.RunAsync),
    ("cache", "Catalogue search hit vs miss: memory L1, Redis L2, L1 miss + L2 hit on a second instance.", CacheBenchmark.RunAsync),
    ("issuance", "Certificates per second on the SQLite ledger, without and with Redis, concurrent clients.", IssuanceBenchmark.RunAsync),
    ("fan-out", "Federated search over 100 and 400 simulated nodes answering in 20 ms; cache hits; 10 % hanging.", FanOutBenchmark.RunAsync),
    ("node-search", "Catalogue search on a seeded node (100,000 entries): latency percentiles per query kind.", NodeSearchBenchmark.RunAsync),
};

// The part comes first; without one (only options, or nothing) every part runs.
var name = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
var selected = name == "all" ? parts : parts.Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToArray();
if (selected.Length == 0 || args.Contains("--help"))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Archives.Benchmarks [-- [PART|all] [--quick] [options]]");
    Console.Error.WriteLine("  all            every part below, one results table (the default)");
    foreach (var part in parts)
    {
        Console.Error.WriteLine($"  {part.Name,-14} {part.Description}");
    }

    Console.Error.WriteLine("  --quick        small counts and short durations: checks that each part works; the numbers mean nothing");
    Console.Error.WriteLine("Options of each part: tests/Archives.Benchmarks/README.md");
    return selected.Length == 0 ? 2 : 0;
}

await using var run = new BenchmarkRun(args);
var total = Stopwatch.StartNew();
var failed = 0;
foreach (var part in selected)
{
    BenchmarkRun.Progress(part.Name, "starting");
    var watch = Stopwatch.StartNew();
    run.PartsRun.Add(part.Name);
    try
    {
        await part.Run(run);
    }
    catch (Exception e)
    {
        // One broken part must not hide the others' numbers: it is reported in the table, and the exit code says so.
        failed++;
        Console.Error.WriteLine(e);
        run.Rows.Add(new ResultRow(part.Name, "FAILED") { Result = e.Message.ReplaceLineEndings(" ").Replace('|', '/') });
    }

    BenchmarkRun.Progress(part.Name, $"done in {watch.Elapsed.TotalSeconds:0} s");
}

Report.Print(Console.Out, run, total.Elapsed);
return failed == 0 ? 0 : 1;

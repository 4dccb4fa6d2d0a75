using System.Diagnostics;
using Archives.Contracts;
using Archives.Node.Catalogue;
using Archives.Node.Data;
using Archives.Node.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archives.Benchmarks;

/// <summary>
/// <c>node-search</c>: seeds (or reuses) a node database and runs a fixed mix of catalogue
/// searches in-process through the node's own parsing and search code (the handler's work minus
/// HTTP and JSON), sequentially, and prints latency percentiles per query kind.
/// Options: <c>--entries N</c> (100000), <c>--records N</c> (20000), <c>--rounds N</c> (60),
/// <c>--data DIR</c> (archives-benchmarks in the temp folder), <c>--fresh</c> (seed again even if the database exists).
/// </summary>
internal static class NodeSearchBenchmark
{
    private sealed record Probe(string Kind, string? Q, string? From = null, string? To = null, string? Category = null, int Pages = 1);

    private static readonly Probe[] Mix =
    [
        .. new[] { "婚姻", "知青", "档案", "招工", "学籍", "征兵", "水库", "照片" }.Select(q => new Probe("2-char word", q)),
        .. new[] { "婚姻登记", "土地承包", "知青安置", "计划生育", "会议纪要", "人口普查" }.Select(q => new Probe("4-char word", q)),
        .. new[] { "知青 安置", "婚姻 登记", "档案 移交", "招工 计划", "杭州市 档案" }.Select(q => new Probe("two terms", q)),
        .. new[] { "婚", "粮", "档" }.Select(q => new Probe("1-char", q)),
        new("filters + facets", "档案", "1960", "1990", "documents"),
        new("filters + facets", "婚姻", null, null, "specialised"),
        new("filters + facets", "知青", "1968", "1978"),
        new("browse (no q)", null),
        new("browse (no q)", null, "1950", "1980", "photographs"),
        new("paging (pages 2-5)", "档案", Pages: 5),
        new("paging (pages 2-5)", null, Pages: 5),
    ];

    private const string Part = "node-search";

    public static async Task RunAsync(BenchmarkRun run)
    {
        var args = run.Args;
        var entries = run.Int("--entries", 100_000, 5_000);
        var records = run.Int("--records", 20_000, 1_000);
        var rounds = run.Int("--rounds", 60, 3);
        var directory = Path.GetFullPath(Report.Option(args, "--data") ?? Path.Combine(Path.GetTempPath(), "archives-benchmarks"));
        var path = Path.Combine(directory, $"node-330100-{entries}-{records}", NodeDatabase.FileName);
        if (args.Contains("--fresh") && Directory.Exists(Path.GetDirectoryName(path)))
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(path + suffix);
            }
        }

        var plan = new SeedPlan("330100", DivisionCode.Parse("330100"), "杭州市档案馆", RecordCategory.All, 1, entries, records, null, null);
        var seed = await NodeSeeder.EnsureSeededAsync(path, plan, NullLogger.Instance, CancellationToken.None);

        var options = SqlitePragmas.Configure(new DbContextOptionsBuilder<NodeDbContext>(), NodeDatabase.ConnectionStringFor(path)).Options;
        var contexts = new PooledDbContextFactory<NodeDbContext>((DbContextOptions<NodeDbContext>)options);
        using var cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = 1024 });
        var year = NodeClock.CurrentYear(TimeProvider.System);

        // Warm up: JIT, EF's query caches, SQLite's page cache.
        foreach (var probe in Mix.Concat(Mix))
        {
            await RunProbeAsync(contexts, cache, probe, year, _ => { });
        }

        var samples = Mix.Select(p => p.Kind).Distinct().ToDictionary(k => k, _ => new List<double>());
        var total = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var probe in Mix)
            {
                await RunProbeAsync(contexts, cache, probe, year, ms => samples[probe.Kind].Add(ms));
            }
        }

        total.Stop();
        var all = samples.Values.SelectMany(s => s).ToList();

        run.Notes.Add($"node-search: {entries:N0} catalogue entries, {records:N0} personal records; "
            + (seed.Reused ? $"database reused from {path} (--fresh to seed again)" : $"seeded in {seed.Elapsed.TotalSeconds:0.0} s ({new FileInfo(path).Length / 1024.0 / 1024.0:0.0} MiB)")
            + $"; {all.Count:N0} searches in {total.Elapsed.TotalSeconds:0.0} s, sequential, in-process (query parsing + page + total + facets, EF Core + SQLite FTS5), no HTTP.");
        foreach (var (kind, list) in samples.Append(new("all", all)))
        {
            list.Sort();
            var p95 = Report.Percentile(list, 0.95);
            var row = ResultRow.Of(Part, kind, list) with { Result = $"p95 {Report.Number(p95, "0.00")} ms, max {Report.Number(list[^1], "0.00")} ms" };
            run.Add(kind != "all" ? row : row with
            {
                Throughput = $"{Report.Number(all.Count / total.Elapsed.TotalSeconds, "N0")} searches/s",
                Goal = "p95 < 20 ms at 100,000 entries",
                Met = entries >= 100_000 ? p95 < 20 : null,
            });
        }
    }

    private static async Task RunProbeAsync(PooledDbContextFactory<NodeDbContext> contexts, IMemoryCache cache, Probe probe, int year, Action<double> record)
    {
        string? cursor = null;
        for (var page = 1; page <= probe.Pages; page++)
        {
            var stopwatch = Stopwatch.StartNew();
            await using var db = await contexts.CreateDbContextAsync();
            var errors = new Dictionary<string, string[]>();
            var query = CatalogueQuery.TryParse(probe.Q, probe.From, probe.To, probe.Category, cursor, "20", errors)
                ?? throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
            var result = await CatalogueSearch.SearchAsync(db, cache, query, year, CancellationToken.None);
            stopwatch.Stop();
            // Page 1 of a paging probe is the plain query; its later pages are what paging costs.
            if (probe.Pages == 1 || page > 1)
            {
                record(stopwatch.Elapsed.TotalMilliseconds);
            }

            cursor = result.NextCursor;
            if (cursor is null)
            {
                break;
            }
        }
    }
}

using System.Globalization;
using Archives.Testing;

namespace Archives.Benchmarks;

/// <summary>
/// One invocation of the benchmarks: the options, the rows every part adds to the one results table,
/// a note per part on how it measured, and what parts share (one identity server).
/// </summary>
internal sealed class BenchmarkRun(string[] args) : IAsyncDisposable
{
    private IdentityServerFixture? _identity;

    public string[] Args { get; } = args;

    /// <summary><c>--quick</c>: small counts and short durations, to check that every part works; the numbers mean nothing.</summary>
    public bool Quick { get; } = args.Contains("--quick");

    public DateTime Started { get; } = DateTime.UtcNow;

    public string LoadAtStart { get; } = Report.LoadAverage;

    public List<ResultRow> Rows { get; } = [];

    public List<string> Notes { get; } = [];

    public List<string> PartsRun { get; } = [];

    /// <summary>An integer option: <paramref name="name"/> when given, else the full or the quick default.</summary>
    public int Int(string name, int full, int quick) => Report.IntOption(Args, name, Quick ? quick : full);

    /// <summary>A time option in seconds (fractions allowed).</summary>
    public TimeSpan Seconds(string name, double full, double quick)
        => TimeSpan.FromSeconds(Report.Option(Args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : Quick ? quick : full);

    /// <summary><c>--max-seconds S</c>: a count-based measurement starts no operation after this long (30 s; 15 s quick), so a slow machine cannot stretch the run.</summary>
    public TimeSpan MaxPerMeasurement => Seconds("--max-seconds", 30, 15);

    public void Add(ResultRow row)
    {
        Rows.Add(row);
        var latency = row.P50 is { } p50 ? $", p50 {Report.Number(p50, "0.00")} ms, p99 {Report.Number(row.P99 ?? double.NaN, "0.00")} ms" : "";
        Console.Error.WriteLine($"[{row.Part}] {row.Scenario}: {row.Throughput ?? $"n={row.Count}"}{latency} {row.Result}");
    }

    public static void Progress(string part, string message) => Console.Error.WriteLine($"[{part}] {message}");

    /// <summary>The real identity server, started on first use and shared by every part: the gateway validates callers' tokens and gets its own node token from it.</summary>
    public async Task<IdentityServerFixture> IdentityAsync()
    {
        if (_identity is null)
        {
            var identity = new IdentityServerFixture();
            await identity.InitializeAsync();
            _identity = identity;
        }

        return _identity;
    }

    /// <summary>A real redis-server on a free loopback port (the tests' fixture), installed first when missing.</summary>
    public static async Task<RedisServer> StartRedisAsync()
    {
        await Tools.EnsureAsync(("redis-server", "redis-server"));
        var redis = new RedisServer();
        await redis.InitializeAsync();
        return redis;
    }

    public async ValueTask DisposeAsync()
    {
        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }
    }
}

using System.Diagnostics;

namespace Archives.Benchmarks;

/// <summary>What a closed-loop load run measured: every operation's latency (ascending) and the wall time.</summary>
internal sealed record LoadResult(List<double> Latencies, TimeSpan Elapsed)
{
    public double PerSecond => Latencies.Count / Elapsed.TotalSeconds;

    public ResultRow Row(string part, string scenario, string unit) => ResultRow.Of(part, scenario, Latencies) with
    {
        Throughput = $"{Report.Number(PerSecond, "N0")} {unit}",
    };
}

/// <summary>
/// A closed loop of <c>concurrency</c> clients sharing <c>count</c> numbered operations, for scenarios
/// where every request must differ (a distinct cache key, a fresh Idempotency-Key) and is checked
/// (which wrk cannot do). An operation that fails throws, and the run stops with it: a benchmark of
/// failing requests would measure the wrong thing. With <c>stopAfter</c>, no operation starts after
/// that time, so that a slow machine shortens the run instead of stretching it.
/// </summary>
internal static class Load
{
    public static async Task<LoadResult> RunAsync(int count, int concurrency, Func<int, Task> operation, TimeSpan? stopAfter = null)
    {
        var latencies = new double[count];
        Array.Fill(latencies, double.NaN);
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Clamp(concurrency, 1, Math.Max(1, count))).Select(async _ =>
        {
            int i;
            while ((stopAfter is null || total.Elapsed < stopAfter) && (i = Interlocked.Increment(ref next)) < count)
            {
                var start = Stopwatch.GetTimestamp();
                await operation(i);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        total.Stop();
        var done = latencies.Where(l => !double.IsNaN(l)).ToList();
        done.Sort();
        return new LoadResult(done, total.Elapsed);
    }
}

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

    /// <summary>
    /// Warm-up: load for <paramref name="minimum"/>, then in 2 s windows until two in a row agree within 10 % or
    /// <paramref name="maximum"/> is spent — a process just started is still tiering its JIT code for 10 s or more
    /// on two busy cores. Operations are numbered from <paramref name="firstIndex"/> on, apart from the measured ones.
    /// Returns how long it took.
    /// </summary>
    public static async Task<TimeSpan> WarmUpAsync(int concurrency, Func<int, Task> operation, TimeSpan minimum, TimeSpan maximum, int firstIndex = 1_000_000)
    {
        var window = TimeSpan.FromSeconds(2);
        var total = Stopwatch.StartNew();
        var next = firstIndex;
        async Task<double> RateAsync(TimeSpan length)
        {
            var start = next;
            // A bound no window reaches (its latencies are kept in an array of this length).
            var result = await RunAsync(200_000, concurrency, i => operation(start + i), length);
            next += result.Latencies.Count + concurrency;
            return result.PerSecond;
        }

        await RateAsync(minimum);
        var last = double.NaN;
        while (total.Elapsed < maximum)
        {
            var rate = await RateAsync(window);
            if (Math.Abs(rate - last) <= 0.1 * Math.Max(rate, last))
            {
                break;
            }

            last = rate;
        }

        return total.Elapsed;
    }
}

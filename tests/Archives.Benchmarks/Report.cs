using System.Globalization;
using System.Runtime.InteropServices;

namespace Archives.Benchmarks;

/// <summary>
/// One line of the results table: a measured scenario of one part, its sample count, throughput,
/// median and p99, a derived result (ratio, memory growth, partial answers…), and the goal it is held to.
/// </summary>
internal sealed record ResultRow(string Part, string Scenario)
{
    public long? Count { get; init; }

    /// <summary>With its unit: <c>12,345 req/s</c>, <c>850 MB/s</c>, <c>310 cert/s</c>.</summary>
    public string? Throughput { get; init; }

    public double? P50 { get; init; }

    public double? P99 { get; init; }

    /// <summary>What the scenario shows beyond throughput and latency.</summary>
    public string? Result { get; init; }

    /// <summary>The goal of the issue this scenario is held to, if any.</summary>
    public string? Goal { get; init; }

    /// <summary>Whether the goal was met; null without a goal.</summary>
    public bool? Met { get; init; }

    /// <summary>A row whose percentiles come from sorted latencies.</summary>
    public static ResultRow Of(string part, string scenario, List<double> sorted) => new(part, scenario)
    {
        Count = sorted.Count,
        P50 = Report.Percentile(sorted, 0.50),
        P99 = Report.Percentile(sorted, 0.99),
    };
}

/// <summary>What every benchmark prints: the machine, the run, percentiles of sorted samples, and the results table.</summary>
internal static class Report
{
    public static string Machine
        => $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}";

    /// <summary>The 1, 5 and 15 minute load averages: a loaded machine makes every number an upper bound.</summary>
    public static string LoadAverage
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Nearest-rank percentile of an ascending list.</summary>
    public static double Percentile(List<double> sorted, double p)
        => sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Number(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Prints the whole run as Markdown: what ran where, the table, and how each part measured.</summary>
    public static void Print(TextWriter output, BenchmarkRun run, TimeSpan elapsed)
    {
        output.WriteLine($"# Archives Gateway benchmarks{(run.Quick ? " (quick mode: small counts, numbers not meaningful)" : "")}");
        output.WriteLine();
        output.WriteLine($"- date: {run.Started:yyyy-MM-dd HH:mm} UTC; took {elapsed.TotalMinutes:0.0} min");
        output.WriteLine($"- commit: {Tools.Commit()}");
        output.WriteLine($"- machine: {Machine}");
        output.WriteLine($"- load average at start {run.LoadAtStart}, at end {LoadAverage} (a busy machine makes every number an upper bound)");
        output.WriteLine($"- parts: {string.Join(", ", run.PartsRun)}; a count-based measurement starts no request after {run.MaxPerMeasurement.TotalSeconds:0} s (n says how many ran)");
        output.WriteLine();
        output.WriteLine("| part | scenario | n | throughput | p50 ms | p99 ms | result | goal |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var row in run.Rows)
        {
            var goal = row.Goal is null ? "" : $"{row.Goal}: {(row.Met switch { true => "met", false => "**missed**", null => "not judged" })}";
            output.WriteLine($"| {row.Part} | {row.Scenario} | {row.Count?.ToString("N0", CultureInfo.InvariantCulture)} | {row.Throughput} | {Cell(row.P50)} | {Cell(row.P99)} | {row.Result} | {goal} |");
        }

        output.WriteLine();
        output.WriteLine("How each part measured:");
        output.WriteLine();
        foreach (var note in run.Notes)
        {
            output.WriteLine($"- {note}");
        }
    }

    private static string Cell(double? ms) => ms switch
    {
        null => "",
        < 10 => Number(ms.Value, "0.00"),
        _ => Number(ms.Value),
    };

    public static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static int IntOption(string[] args, string name, int fallback)
        => Option(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}

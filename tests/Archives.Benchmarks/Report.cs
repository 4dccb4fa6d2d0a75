using System.Globalization;
using System.Runtime.InteropServices;

namespace Archives.Benchmarks;

/// <summary>What every benchmark prints: the machine, and latency percentiles of sorted samples.</summary>
internal static class Report
{
    public static string Machine
        => $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}";

    /// <summary>Nearest-rank percentile of an ascending list.</summary>
    public static double Percentile(List<double> sorted, double p)
        => sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Row(params object[] cells)
        => string.Create(CultureInfo.InvariantCulture, $"| {string.Join(" | ", cells.Select(c => c is double d ? d.ToString("0.0", CultureInfo.InvariantCulture) : Convert.ToString(c, CultureInfo.InvariantCulture)))} |");

    public static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static int IntOption(string[] args, string name, int fallback)
        => Option(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}

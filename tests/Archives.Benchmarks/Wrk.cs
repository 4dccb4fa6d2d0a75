using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Archives.Benchmarks;

/// <summary>What one wrk run reported (<c>--latency</c>): requests, requests per second, percentiles, errors.</summary>
internal sealed record WrkResult(long Requests, double RequestsPerSecond, double P50, double P99, long Errors)
{
    public ResultRow Row(string part, string scenario) => new(part, scenario)
    {
        Count = Requests,
        Throughput = $"{Report.Number(RequestsPerSecond, "N0")} req/s",
        P50 = P50,
        P99 = P99,
        Result = Errors == 0 ? null : $"{Errors:N0} errors",
    };
}

/// <summary>
/// wrk (Debian's package), the load generator: a fixed number of connections, each sending its next
/// request as soon as the last answer arrived, for a fixed time.
/// </summary>
internal static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(Uri url, int threads, int connections, TimeSpan duration, IEnumerable<string> headers)
    {
        var start = new ProcessStartInfo(Tools.Find("wrk") ?? "wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--threads", $"{threads}", "--connections", $"{connections}", "--duration", $"{Math.Max(1, (int)duration.TotalSeconds)}s", "--timeout", "10s", "--latency" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var header in headers)
        {
            start.ArgumentList.Add("--header");
            start.ArgumentList.Add(header);
        }

        start.ArgumentList.Add(url.ToString());
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {await error}{text}");
        }

        return Parse(text);
    }

    /// <summary>Reads wrk's report: "1122400 requests in 10.01s", "Requests/sec: …", the latency distribution, and error lines.</summary>
    public static WrkResult Parse(string text)
    {
        var requests = long.Parse(Requests().Match(text) is { Success: true } m ? m.Groups[1].Value : throw new FormatException($"No request count in wrk's output:\n{text}"), CultureInfo.InvariantCulture);
        var perSecond = double.Parse(PerSecond().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        double Percentile(string p) => Milliseconds(Regex.Match(text, $@"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline));
        var errors = NonSuccess().Match(text) is { Success: true } non ? long.Parse(non.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (SocketErrors().Match(text) is { Success: true } socket)
        {
            errors += Enumerable.Range(1, 4).Sum(g => long.Parse(socket.Groups[g].Value, CultureInfo.InvariantCulture));
        }

        return new WrkResult(requests, perSecond, Percentile("50"), Percentile("99"), errors);
    }

    private static double Milliseconds(Match match)
    {
        if (!match.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex PerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}

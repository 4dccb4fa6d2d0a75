using System.Globalization;

namespace Archives.Benchmarks;

/// <summary>
/// CPU time (user + system) a process and its children have used, from <c>/proc/PID/stat</c>. Divided by
/// the requests served it is the cost per request: unlike latency, it hardly moves when other work shares
/// the cores, so it compares the gateway with nginx even on a busy machine.
/// </summary>
internal static class CpuTime
{
    /// <summary>Clock ticks per second of <c>/proc</c>'s times (<c>getconf CLK_TCK</c>; 100 on Linux everywhere).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The CPU time of <paramref name="processId"/> and the processes it started (nginx's workers), or null off Linux.</summary>
    public static TimeSpan? Of(int processId)
    {
        var ticks = Ticks(processId);
        if (ticks is null)
        {
            return null;
        }

        foreach (var child in Children(processId))
        {
            ticks += Ticks(child) ?? 0;
        }

        return TimeSpan.FromSeconds(ticks.Value / TicksPerSecond);
    }

    /// <summary>Microseconds of CPU per request between two readings, as a table note ("412 µs CPU/req").</summary>
    public static string? PerRequest(string who, TimeSpan? before, TimeSpan? after, long requests)
        => before is { } b && after is { } a && requests > 0
            ? $"{who} {Report.Number((a - b).TotalMicroseconds / requests, "N0")} µs CPU/req"
            : null;

    private static long? Ticks(int processId)
    {
        try
        {
            // Fields after the command name (which may hold spaces) in parentheses: utime is the 14th field, stime the 15th.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<int> Children(int processId)
    {
        var tasks = $"/proc/{processId}/task";
        if (!Directory.Exists(tasks))
        {
            return [];
        }

        return Directory.EnumerateDirectories(tasks)
            .SelectMany(task => File.Exists(Path.Combine(task, "children")) ? File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries) : [])
            .Select(id => int.Parse(id, CultureInfo.InvariantCulture));
    }
}

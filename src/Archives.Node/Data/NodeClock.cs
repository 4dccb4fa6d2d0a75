namespace Archives.Node.Data;

/// <summary>The archives' calendar: China Standard Time (UTC+8, no daylight saving).</summary>
internal static class NodeClock
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static DateTimeOffset Now(TimeProvider time) => time.GetUtcNow().ToOffset(ChinaStandardTime);

    /// <summary>The current year, which decides which catalogue entries are open (创建满二十五年).</summary>
    public static int CurrentYear(TimeProvider time) => Now(time).Year;

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(Now(time).DateTime);
}

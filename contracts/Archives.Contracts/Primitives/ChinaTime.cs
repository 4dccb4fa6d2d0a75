namespace Archives.Contracts;

/// <summary>
/// The archives' calendar: China Standard Time, UTC+8 all year (no daylight saving since 1991). Dates the
/// federation speaks of (a birth date, a certificate's day of issue) are days of this calendar.
/// </summary>
public static class ChinaTime
{
    /// <summary>The offset of China Standard Time from UTC.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The current time in China Standard Time.</summary>
    public static DateTimeOffset Now(TimeProvider time) => time.GetUtcNow().ToOffset(Offset);

    /// <summary>Today's date in China Standard Time.</summary>
    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(Now(time).DateTime);
}

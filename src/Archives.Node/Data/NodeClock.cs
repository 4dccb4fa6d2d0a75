using Archives.Contracts;

namespace Archives.Node.Data;

/// <summary>The archives' calendar (<see cref="ChinaTime"/>) as the catalogue uses it.</summary>
internal static class NodeClock
{
    /// <summary>The current year in China Standard Time, which decides which catalogue entries are open (创建满二十五年).</summary>
    public static int CurrentYear(TimeProvider time) => ChinaTime.Now(time).Year;
}

using System.ComponentModel.DataAnnotations;

namespace Archives.Gateway.Caching;

/// <summary>How long answers are cached (section <c>Gateway:Cache</c>). Redis comes from <c>ConnectionStrings:Redis</c>.</summary>
public sealed class CacheOptions
{
    public const string Section = "Gateway:Cache";

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Gateway:Cache:CatalogueDuration must be between 1 s and 1 day.")]
    public TimeSpan CatalogueDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A partial catalogue page (some node did not answer).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00", ErrorMessage = "Gateway:Cache:PartialCatalogueDuration must be between 100 ms and 1 h.")]
    public TimeSpan PartialCatalogueDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest a cache operation waits for Redis before going on without it (and the default
    /// of StackExchange.Redis' own timeouts, unless the connection string sets them).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.05", "00:00:30", ErrorMessage = "Gateway:Cache:RedisTimeout must be between 50 ms and 30 s.")]
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Gateway:Cache:NodeInfoDuration must be between 1 s and 1 day.")]
    public TimeSpan NodeInfoDuration { get; set; } = TimeSpan.FromMinutes(5);
}

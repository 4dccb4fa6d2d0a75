using System.ComponentModel.DataAnnotations;

namespace Archives.Gateway.Proxy;

/// <summary>The pass-through to nodes (section <c>Gateway:Proxy</c>).</summary>
public sealed class ProxyOptions
{
    public const string Section = "Gateway:Proxy";

    /// <summary>
    /// The most a proxied request may take from start to end, body included. YARP's
    /// <c>ActivityTimeout</c> (in the registry) resets on every byte, so a node that drips bytes would
    /// otherwise hold a request forever.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Gateway:Proxy:RouteTimeout must be between 1 s and 1 h.")]
    public TimeSpan RouteTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

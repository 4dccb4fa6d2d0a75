using System.Text.Json;

namespace Archives.Benchmarks;

/// <summary>Registry files for the gateway under test: YARP clusters with node metadata, as in gateway-config/.</summary>
internal static class Registry
{
    /// <summary>Writes a registry naming each node at its address, with active health checks on <c>/health/ready</c>.</summary>
    public static void Write(string path, IEnumerable<(string NodeId, Uri Address)> nodes)
    {
        var clusters = nodes.ToDictionary(n => n.NodeId, n => (object)new
        {
            HealthCheck = new
            {
                Active = new { Enabled = true, Interval = "00:00:05", Timeout = "00:00:02", Policy = "ConsecutiveFailures", Path = "/health/ready" },
            },
            Destinations = new { primary = new { Address = n.Address.ToString() } },
            Metadata = new Dictionary<string, string>
            {
                ["divisionCode"] = n.NodeId,
                ["nameZh"] = $"模拟档案馆 {n.NodeId}",
                ["nameEn"] = $"Simulated Archives {n.NodeId}",
                ["province"] = n.NodeId[..2],
                ["categories"] = "marriage",
            },
        });
        File.WriteAllText(path, JsonSerializer.Serialize(new { ReverseProxy = new { Clusters = clusters } }));
    }
}

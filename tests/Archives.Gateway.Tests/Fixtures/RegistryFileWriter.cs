using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archives.Gateway.Tests.Fixtures;

/// <summary>How a node appears in a test registry.</summary>
public sealed record RegistryEntry(IArchiveNodeUnderTest Node, IReadOnlyList<Uri>? Destinations = null, string? DivisionCode = null)
{
    /// <summary>Active health probes of <c>/health/ready</c> at this interval; none when null.</summary>
    public TimeSpan? ActiveHealthInterval { get; init; }

    /// <summary>Passive health (transport failure rate of proxied requests), as in gateway-config.</summary>
    public bool PassiveHealth { get; init; }
}

/// <summary>Writes registry files in the format of gateway-config (YARP clusters with metadata).</summary>
public static class RegistryFileWriter
{
    public static string NewPath() => Path.Combine(Path.GetTempPath(), "archives-gateway-tests", Guid.NewGuid().ToString("N"), "nodes.json");

    public static void Write(string path, IEnumerable<RegistryEntry> entries)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var clusters = new JsonObject();
        foreach (var entry in entries)
        {
            var node = entry.Node;
            var destinations = new JsonObject();
            var addresses = entry.Destinations ?? [node.BaseAddress];
            for (var i = 0; i < addresses.Count; i++)
            {
                destinations[i == 0 ? "primary" : $"replica-{i + 1}"] = new JsonObject { ["Address"] = addresses[i].ToString() };
            }

            var cluster = new JsonObject
            {
                ["LoadBalancingPolicy"] = "PowerOfTwoChoices",
                ["HttpRequest"] = new JsonObject { ["ActivityTimeout"] = "00:00:30" },
                ["Destinations"] = destinations,
                ["Metadata"] = new JsonObject
                {
                    ["divisionCode"] = entry.DivisionCode ?? node.NodeId,
                    ["level"] = "city",
                    ["nameZh"] = node.NameZh,
                    ["nameEn"] = node.NameEn,
                    ["province"] = node.NodeId[..2],
                    ["categories"] = string.Join(',', node.Categories.Select(c => c.Code)),
                },
            };
            var health = new JsonObject();
            if (entry.PassiveHealth)
            {
                health["Passive"] = new JsonObject { ["Enabled"] = true, ["Policy"] = "TransportFailureRate", ["ReactivationPeriod"] = "00:05:00" };
            }

            if (entry.ActiveHealthInterval is { } interval)
            {
                health["Active"] = new JsonObject
                {
                    ["Enabled"] = true,
                    ["Interval"] = interval.ToString("c"),
                    ["Timeout"] = "00:00:02",
                    ["Policy"] = "ConsecutiveFailures",
                    ["Path"] = "/health/ready",
                };
                cluster["Metadata"]!["ConsecutiveFailuresHealthPolicy.Threshold"] = "1";
            }

            if (health.Count > 0)
            {
                cluster["HealthCheck"] = health;
            }

            clusters[node.NodeId] = cluster;
        }

        var document = new JsonObject { ["ReverseProxy"] = new JsonObject { ["Clusters"] = clusters } };
        File.WriteAllText(path, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}

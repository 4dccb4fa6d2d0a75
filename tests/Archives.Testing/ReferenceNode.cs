using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archives.Testing;

/// <summary>
/// The real reference archive node (<c>src/Archives.Node</c>, its build output) as a child process
/// (<c>dotnet Archives.Node.dll</c>) on a free loopback port, in Development (only there does a node read the
/// identity server's keys over plain HTTP, which the test identity server speaks), as the local federation
/// runs it: its identity and categories from its cluster in <c>gateway-config/local/nodes.json</c>, a
/// small synthetic archive seeded into a temporary data directory plus the demo citizens' records
/// (<c>gateway-config/local/demo-citizens.json</c>), trusting the given identity server's
/// <c>node.api</c> tokens. Killed, and its data deleted, on dispose.
/// </summary>
/// <remarks>
/// Start several with <see cref="StartAllAsync"/> (in parallel: seeding takes seconds each), then give
/// a gateway the registry <see cref="WriteRegistry"/> writes.
/// </remarks>
public sealed class ReferenceNode : IAsyncDisposable
{
    private readonly ServiceProcess _service = new();

    private ReferenceNode(string nodeId, JsonObject cluster)
    {
        NodeId = nodeId;
        Cluster = cluster;
        DataDirectory = Path.Combine(Path.GetTempPath(), "archives-reference-nodes", Guid.NewGuid().ToString("N"));
    }

    /// <summary>The reference node's built assembly (the configuration this project was built in).</summary>
    public static string NodeAssembly { get; } = typeof(ReferenceNode).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NodeAssembly").Value!;

    /// <summary>The local federation's registry, where the nodes' identities and categories come from.</summary>
    public static string LocalRegistryFile => Path.Combine(IdentityServerFixture.RepositoryRoot, "gateway-config", "local", "nodes.json");

    /// <summary>The demo subjects whose records the nodes seed besides their synthetic data.</summary>
    public static string DemoCitizensFile => Path.Combine(IdentityServerFixture.RepositoryRoot, "gateway-config", "local", "demo-citizens.json");

    /// <summary>The node id (the cluster's key in the registry; its division code).</summary>
    public string NodeId { get; }

    /// <summary>The node's Chinese name (registry metadata <c>nameZh</c>).</summary>
    public string NameZh => Metadatum("nameZh");

    /// <summary>The record category codes it holds, comma-separated (registry metadata <c>categories</c>).</summary>
    public string Categories => Metadatum("categories");

    /// <summary>Its address, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Its database; deleted on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>Its cluster in the local registry (a copy), with the local federation's fixed address.</summary>
    private JsonObject Cluster { get; }

    /// <summary>Starts the nodes named by <paramref name="nodeIds"/> together and waits until every one is seeded and ready.</summary>
    /// <param name="identity">The identity server whose tokens the nodes accept.</param>
    /// <param name="nodeIds">Node ids of <see cref="LocalRegistryFile"/>.</param>
    /// <param name="settings">Node settings for all of them, over the defaults (e.g. <c>["Node:PersonalRecords"] = "100"</c>).</param>
    public static async Task<IReadOnlyList<ReferenceNode>> StartAllAsync(
        IdentityServerFixture identity, IEnumerable<string> nodeIds, IReadOnlyDictionary<string, string>? settings = null)
    {
        var clusters = JsonNode.Parse(File.ReadAllText(LocalRegistryFile))!["ReverseProxy"]!["Clusters"]!.AsObject();
        var nodes = nodeIds.Select(id => new ReferenceNode(
            id, (clusters[id] ?? throw new ArgumentException($"No node '{id}' in {LocalRegistryFile}.", nameof(nodeIds))).DeepClone().AsObject())).ToList();
        var started = nodes.Select(node => node.StartAsync(identity, settings ?? new Dictionary<string, string>())).ToList();
        try
        {
            await Task.WhenAll(started);
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }

        return nodes;
    }

    /// <summary>
    /// Writes a gateway registry (the format of <c>gateway-config</c>) naming <paramref name="nodes"/>:
    /// their clusters of the local registry as they are (health checks, metadata), with each node's
    /// address in place of the local federation's fixed port.
    /// </summary>
    public static void WriteRegistry(string path, IEnumerable<ReferenceNode> nodes)
    {
        var clusters = new JsonObject();
        foreach (var node in nodes)
        {
            var cluster = node.Cluster.DeepClone().AsObject();
            cluster["Destinations"] = new JsonObject { ["primary"] = new JsonObject { ["Address"] = node.BaseAddress.AbsoluteUri } };
            clusters[node.NodeId] = cluster;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var registry = new JsonObject { ["ReverseProxy"] = new JsonObject { ["Clusters"] = clusters } };
        File.WriteAllText(path, registry.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public async ValueTask DisposeAsync()
    {
        await _service.StopAsync();
        try
        {
            if (Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open is left to the temp cleaner.
        }
    }

    private async Task StartAsync(IdentityServerFixture identity, IReadOnlyDictionary<string, string> overrides)
    {
        // The settings src/Archives.Local passes from the registry, with a small archive (seeded in seconds)
        // and a short retrieval of paper records.
        var settings = new Dictionary<string, string>
        {
            ["Node:Id"] = NodeId,
            ["Node:DivisionCode"] = Metadatum("divisionCode"),
            ["Node:Level"] = Metadatum("level"),
            ["Node:NameZh"] = NameZh,
            ["Node:NameEn"] = Metadatum("nameEn"),
            ["Node:Categories"] = Categories,
            ["Node:DataDirectory"] = DataDirectory,
            ["Node:Seed"] = "7",
            ["Node:CatalogueEntries"] = "2000",
            ["Node:PersonalRecords"] = "500",
            ["Node:DemoCitizensFile"] = DemoCitizensFile,
            ["Node:RetrievalDelay"] = "00:00:02",
            ["Node:Auth:Authority"] = identity.Issuer.AbsoluteUri,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        BaseAddress = await _service.StartAsync(
            $"The reference node {NodeId}", NodeAssembly, _ => settings, new("node/v1/info", "nodeId", _ => NodeId), TimeSpan.FromSeconds(120));
    }

    private string Metadatum(string key) =>
        Cluster["Metadata"]?[key]?.GetValue<string>() ?? throw new InvalidOperationException($"{LocalRegistryFile}: cluster {NodeId} has no Metadata:{key}.");
}

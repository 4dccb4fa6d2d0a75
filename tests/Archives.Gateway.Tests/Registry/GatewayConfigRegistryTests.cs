using System.Net;
using System.Text.Json.Nodes;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Registry;

/// <summary>The registry files operators edit in gateway-config/ load as they are.</summary>
public sealed class GatewayConfigRegistryTests
{
    [Theory]
    [InlineData("gateway-config/local/nodes.json", 15)]
    [InlineData("gateway-config/registry/nodes.json", 150)]
    public async Task RegistryFile_LoadsWithEveryNodeAndItsMetadata(string file, int count)
    {
        await using var node = await TestNode.StartAsync("330100");
        // Same file, every address pointed at a local test node: the tests reach no real archive
        // and probe no fixed port.
        var document = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), file), Ct))!;
        foreach (var (_, cluster) in document["ReverseProxy"]!["Clusters"]!.AsObject())
        {
            foreach (var (_, destination) in cluster!["Destinations"]!.AsObject())
            {
                destination!["Address"] = node.BaseAddress.ToString();
            }
        }

        var path = RegistryFileWriter.NewPath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, document.ToJsonString(), Ct);
        await using var gateway = GatewayHost.Start([], registryPath: path);

        var (_, body) = await gateway.Client.GetJsonAsync("/api/v1/nodes");
        var proxied = await gateway.Client.GetAsync("/nodes/330100/test/echo/x", Ct);

        var nodes = body["nodes"]!.AsArray();
        Assert.Equal(count, nodes.Count);
        var hangzhou = nodes.Single(n => (string)n!["nodeId"]! == "330100")!;
        Assert.Equal("杭州市档案馆", (string)hangzhou["nameZh"]!);
        Assert.Equal("Hangzhou Municipal Archives", (string)hangzhou["nameEn"]!);
        Assert.Equal("city", (string)hangzhou["level"]!);
        Assert.Contains("marriage", hangzhou["categories"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above the test binaries.");
    }
}

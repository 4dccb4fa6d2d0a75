using System.Diagnostics;
using System.Text.Json;

namespace Archives.Local;

/// <summary>
/// Starts every service of the local federation, waits until all are ready, prints where they
/// are, and stops them all on Ctrl+C. The nodes to run, their ports and their metadata come from
/// <c>gateway-config/local/nodes.json</c>, the same registry the gateway reads.
/// </summary>
internal sealed class LocalFederation(LocalOptions options) : IDisposable
{
    /// <summary>
    /// Fifteen nodes start at once on a small machine. Their code is precompiled (ReadyToRun, see
    /// the csproj), and without tiered compilation the runtime uses that code as it is instead of
    /// compiling every busy method a second time right after start-up, while the other services
    /// still need the cores. A node's speed is its SQLite queries, which this does not change; the
    /// gateway and identity keep the default tiering (one process each, steady-state speed matters).
    /// </summary>
    private static readonly Dictionary<string, string> NodeEnvironment = new() { ["DOTNET_TieredCompilation"] = "0" };

    private readonly List<ServiceProcess> _services = [];

    public async Task<int> RunAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var nodes = LocalNode.ReadRegistry(Path.Combine(options.LocalConfigDirectory, "nodes.json"));
        var demoCitizens = Path.Combine(options.LocalConfigDirectory, "demo-citizens.json");

        var identity = new ServiceProcess(
            "identity",
            options.IdentityAddress,
            options.IdentityAssembly,
            [
                $"--Identity:Issuer={options.IdentityAddress}",
                $"--Identity:DataDirectory={Path.Combine(options.DataDirectory, "identity")}",
                $"--Identity:ConfigDirectory={Path.Combine(options.RepositoryRoot, "gateway-config")}",
            ],
            Path.Combine(options.DataDirectory, "logs", "identity.log"));
        _services.Add(identity);

        var seeded = new HashSet<ServiceProcess>();
        foreach (var node in nodes)
        {
            var nodeData = Path.Combine(options.DataDirectory, "nodes", node.Id);
            string[] arguments =
            [
                $"--Node:Id={node.Id}",
                $"--Node:DivisionCode={node.DivisionCode}",
                $"--Node:Level={node.Level}",
                $"--Node:NameZh={node.NameZh}",
                $"--Node:NameEn={node.NameEn}",
                $"--Node:Categories={node.Categories}",
                $"--Node:Seed={options.Seed}",
                $"--Node:DataDirectory={nodeData}",
                $"--Node:DemoCitizensFile={demoCitizens}",
                // Nodes accept only the identity server's node.api tokens, validated from its JWKS.
                $"--Node:Auth:Authority={options.IdentityAddress}",
            ];
            var service = new ServiceProcess(
                $"node {node.Id} {node.NameZh}",
                node.Address,
                options.NodeAssembly,
                arguments,
                Path.Combine(options.DataDirectory, "logs", $"node-{node.Id}.log"),
                NodeEnvironment);
            _services.Add(service);

            // The reference node keeps its archive in <data>/node.db once seeded.
            if (File.Exists(Path.Combine(nodeData, "node.db")))
            {
                seeded.Add(service);
            }
        }

        // The gateway last: it reads the same registry and finds the nodes already up.
        List<string> gatewayArguments =
        [
            $"--Gateway:RegistryFile={Path.Combine(options.LocalConfigDirectory, "nodes.json")}",
            $"--Gateway:Certificates:DataDirectory={Path.Combine(options.DataDirectory, "gateway")}",

            // Fifteen archives, identity and the gateway share one small machine here, where a
            // cold node can take seconds for a common word: a longer deadline than production's
            // 3 s, so a first search is not reported as timeouts of archives that are merely busy.
            "--Gateway:Federation:Deadline=00:00:08",
            "--Gateway:NodeClient:Resilience:AttemptTimeout:Timeout=00:00:06",
            // Callers' tokens are checked against the identity server, and the gateway calls nodes
            // with its own node.api token, got there with its dev-only secret.
            $"--Gateway:Auth:Authority={options.IdentityAddress}",
            $"--Gateway:NodeToken:ClientSecret={LocalDirectory.SecretOf(Path.Combine(options.LocalConfigDirectory, "clients.json"), "gateway")}",
        ];
        if (options.Redis is not null)
        {
            gatewayArguments.Add($"--ConnectionStrings:Redis={options.Redis}");
        }

        var gateway = new ServiceProcess("gateway", options.GatewayAddress, options.GatewayAssembly, gatewayArguments, Path.Combine(options.DataDirectory, "logs", "gateway.log"));

        var hall = new ServiceProcess(
            "service hall",
            options.ServiceHallAddress,
            options.ServiceHallAssembly,
            [
                $"--ServiceHall:Gateway={options.GatewayAddress}",
                $"--ServiceHall:Authority={options.IdentityAddress}",
                $"--ServiceHall:ClientSecret={LocalDirectory.SecretOf(Path.Combine(options.LocalConfigDirectory, "clients.json"), "service-hall")}",
            ],
            Path.Combine(options.DataDirectory, "logs", "service-hall.log"));

        Console.WriteLine($"Starting {_services.Count + 2} services (data in {options.DataDirectory}; a first run seeds every node's archive, about a minute)…");
        using var readyTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        readyTimeout.CancelAfter(options.ReadyTimeout);
        (ServiceProcess Service, bool Ready)[] readiness;
        try
        {
            // Identity and the nodes start together: a node fetches the identity server's keys only
            // when the first token reaches it. Nodes that must first seed their archive (first run)
            // go a few at a time, since fifteen seeding at once on a small machine take far longer
            // than the same work in turns.
            using var turns = new SemaphoreSlim(Math.Max(2, Environment.ProcessorCount));
            var identityReady = StartAsync(identity, readyTimeout.Token);
            var nodesReady = Task.WhenAll(_services.Skip(1).ToList().Select(async service =>
            {
                if (!seeded.Contains(service))
                {
                    await turns.WaitAsync(readyTimeout.Token);
                }

                try
                {
                    return await StartAsync(service, readyTimeout.Token);
                }
                finally
                {
                    if (!seeded.Contains(service))
                    {
                        turns.Release();
                    }
                }
            }));

            // The gateway last: it gets its node token from identity as it starts, and its first
            // health probe of every node then finds them ready, so "ready" below means the gateway
            // already routes to every node.
            await Task.WhenAll(identityReady, nodesReady);
            _services.Add(gateway);
            var gatewayReady = await StartAsync(gateway, readyTimeout.Token);

            // The clerks' web app calls the gateway as the signed-in clerk.
            _services.Add(hall);
            var hallReady = await StartAsync(hall, readyTimeout.Token);
            readiness = [await identityReady, .. await nodesReady, gatewayReady, hallReady];
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"The federation was not ready within {options.ReadyTimeout}; see the logs in {Path.Combine(options.DataDirectory, "logs")}.");
            return 1;
        }

        if (stop.IsCancellationRequested)
        {
            return 0;
        }

        foreach (var (service, _) in readiness.Where(r => !r.Ready))
        {
            Console.Error.WriteLine($"{service.Name} did not become ready; see {service.LogPath}");
        }

        if (readiness.Any(r => !r.Ready))
        {
            return 1;
        }

        PrintDirectory(gateway, identity, hall, nodes);
        Console.WriteLine($"Ready in {clock.Elapsed.TotalSeconds:F1} s: {_services.Count} services. Press Ctrl+C to stop.");

        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            foreach (var exited in _services.Where(s => s.HasExited).ToList())
            {
                Console.Error.WriteLine($"{exited.Name} stopped unexpectedly; see {exited.LogPath}");
                _services.Remove(exited);
            }
        }

        Console.WriteLine("Stopping…");
        return 0;
    }

    private async Task<(ServiceProcess Service, bool Ready)> StartAsync(ServiceProcess service, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        service.Start();
        var ready = await service.WaitUntilReadyAsync(cancellationToken);
        Console.WriteLine(ready
            ? $"  ready  {service.Name} ({clock.Elapsed.TotalSeconds:F1} s)"
            : $"  FAILED {service.Name}; see {service.LogPath}");
        return (service, ready);
    }

    public void Dispose()
    {
        foreach (var service in _services)
        {
            service.Dispose();
        }

        _services.Clear();
    }

    private void PrintDirectory(ServiceProcess gateway, ServiceProcess identity, ServiceProcess hall, IReadOnlyList<LocalNode> nodes)
    {
        Console.WriteLine();
        Console.WriteLine($"Service hall (clerks sign in with a demo clerk below): {hall.Address}");
        Console.WriteLine($"Gateway: {gateway.Address}  cache: {(options.Redis is null ? "memory only" : $"memory + Redis {options.Redis}")}");
        Console.WriteLine($"  {new Uri(gateway.Address, "api/v1/nodes")}");
        Console.WriteLine($"  {new Uri(gateway.Address, "api/v1/catalog/search?q=档案&region=33")}");
        Console.WriteLine($"  {new Uri(gateway.Address, "api/v1/catalog/search/stream?q=知青")}");
        Console.WriteLine($"  {new Uri(gateway.Address, "nodes/330100/node/v1/info")}");
        Console.WriteLine();
        Console.WriteLine($"Identity (OpenID Connect): {identity.Address}  discovery: {new Uri(identity.Address, ".well-known/openid-configuration")}");
        Console.WriteLine($"  Clients and dev secrets: {Path.Combine(options.LocalConfigDirectory, "clients.json")}");
        foreach (var client in LocalDirectory.ReadClients(Path.Combine(options.LocalConfigDirectory, "clients.json")))
        {
            Console.WriteLine($"    {client}");
        }

        Console.WriteLine($"  Demo clerks: {Path.Combine(options.LocalConfigDirectory, "clerks.json")}");
        foreach (var clerk in LocalDirectory.ReadClerks(Path.Combine(options.LocalConfigDirectory, "clerks.json")))
        {
            Console.WriteLine($"    {clerk}");
        }

        Console.WriteLine();
        Console.WriteLine("Archive nodes (node contract: GET /node/v1/info public; /node/v1/catalog/search?q=婚姻 and the rest with the gateway's node.api token):");
        foreach (var node in nodes)
        {
            Console.WriteLine($"  {node.Id}  {node.Address,-24} {node.NameZh} ({node.NameEn})");
        }

        var demo = Path.Combine(options.LocalConfigDirectory, "demo-citizens.json");
        Console.WriteLine();
        Console.WriteLine($"Demo citizens with records in several archives: {demo}");
        Console.WriteLine($"Logs: {Path.Combine(options.DataDirectory, "logs")}");
        Console.WriteLine();
    }
}

/// <summary>A node of the local registry: the cluster id, its first destination and its metadata.</summary>
internal sealed record LocalNode(string Id, Uri Address, string DivisionCode, string Level, string NameZh, string NameEn, string Categories)
{
    public static IReadOnlyList<LocalNode> ReadRegistry(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var clusters = document.RootElement.GetProperty("ReverseProxy").GetProperty("Clusters");
        var nodes = new List<LocalNode>();
        foreach (var cluster in clusters.EnumerateObject())
        {
            var metadata = cluster.Value.GetProperty("Metadata");
            string Meta(string key) => metadata.GetProperty(key).GetString() ?? throw new InvalidDataException($"{path}: cluster {cluster.Name} has no {key}.");
            var address = cluster.Value.GetProperty("Destinations").EnumerateObject().First().Value.GetProperty("Address").GetString()
                ?? throw new InvalidDataException($"{path}: cluster {cluster.Name} has no destination address.");
            nodes.Add(new LocalNode(cluster.Name, new Uri(address), Meta("divisionCode"), Meta("level"), Meta("nameZh"), Meta("nameEn"), Meta("categories")));
        }

        return [.. nodes.OrderBy(n => n.Address.Port)];
    }
}

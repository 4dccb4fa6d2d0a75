using System.Diagnostics;
using System.Net;
using System.Reflection;
using Archives.Testing;

namespace Archives.Benchmarks;

/// <summary>The gateway as its own process (its Release build) on a free loopback port, for load from outside it.</summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TemporaryDirectory _dataDirectory;

    private GatewayProcess(Process process, Uri address, TemporaryDirectory dataDirectory)
    {
        _process = process;
        Address = address;
        _dataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    /// <summary>The gateway's process id, for reading its memory from <c>/proc</c>.</summary>
    public int Id => _process.Id;

    /// <summary>
    /// Starts the gateway with a registry of <paramref name="nodes"/>, the run's identity server as its
    /// authority, and <paramref name="settings"/> (<c>--Key=value</c>), and waits until it is ready.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(BenchmarkRun run, IEnumerable<(string NodeId, Uri Address)> nodes, params IEnumerable<string> settings)
    {
        var assembly = typeof(GatewayProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "GatewayAssembly").Value!;
        var identity = await run.IdentityAsync();
        var address = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");

        // Its registry, certificate ledger and keys in a folder of its own, deleted at the end, never the repository's .data.
        // Apart, as in a deployment (gateway-config/ and .data/): the registry's folder is watched, recursively, for
        // changes, and a ledger inside it would wake that watcher on every commit.
        var dataDirectory = new TemporaryDirectory();
        var registry = Path.Combine(Directory.CreateDirectory(Path.Combine(dataDirectory.Path, "config")).FullName, "nodes.json");
        var ledger = Path.Combine(dataDirectory.Path, "ledger");
        Registry.Write(registry, nodes);
        var start = new ProcessStartInfo("dotnet",
        [
            assembly,
            "--urls", address.GetLeftPart(UriPartial.Authority),
            "--Logging:LogLevel:Default=Warning",
            $"--Gateway:Certificates:DataDirectory={ledger}",
            $"--Gateway:RegistryFile={registry}",
            $"--Gateway:Auth:Authority={identity.Issuer}",
            $"--Gateway:NodeToken:ClientSecret={identity.SecretOf("gateway")}",

            // Load generators are one client from one address: the rate limits (gateway-config/rate-limits.json)
            // would answer 429 within the first second. They stay in the pipeline, only their limits are lifted.
            .. ((string[])["Client", "Clients:service-hall", "Anonymous", "Verification"]).SelectMany(policy => (string[])
            [
                $"--Gateway:RateLimits:{policy}:PermitLimit=1000000",
                $"--Gateway:RateLimits:{policy}:Window=00:00:01",
            ]),
            .. settings,
        ])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = Tools.StartChild("gateway", start);

        var gateway = new GatewayProcess(process, address, dataDirectory);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with code {process.ExitCode}.");
            }

            try
            {
                using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        await gateway.DisposeAsync();
        throw new TimeoutException("The gateway was not ready within a minute.");
    }

    public async ValueTask DisposeAsync()
    {
        await Tools.StopAsync(_process);
        _dataDirectory.Dispose();
    }
}

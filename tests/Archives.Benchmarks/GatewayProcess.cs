using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Archives.Benchmarks;

/// <summary>The gateway as its own process (its Release build) on a free loopback port, for load from outside it.</summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private GatewayProcess(Process process, Uri address, string dataDirectory)
    {
        _process = process;
        Address = address;
        _dataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    /// <summary>The gateway's process id, for reading its memory from <c>/proc</c>.</summary>
    public int Id => _process.Id;

    public static async Task<GatewayProcess> StartAsync(IEnumerable<string> settings)
    {
        var assembly = typeof(GatewayProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "GatewayAssembly").Value!;
        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        // Its certificate ledger and keys in a folder of its own, deleted at the end, never the repository's .data.
        var dataDirectory = Directory.CreateTempSubdirectory("archives-bench-gateway-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.GetLeftPart(UriPartial.Authority));
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        start.ArgumentList.Add($"--Gateway:Certificates:DataDirectory={dataDirectory}");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The gateway did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"gateway: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}

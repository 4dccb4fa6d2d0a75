using System.Diagnostics;
using System.Net.Sockets;

namespace Archives.Local;

/// <summary>
/// One service of the federation running as a child process (<c>dotnet Service.dll</c>), its
/// output written to a log file, its readiness read from <c>GET /health/ready</c>.
/// </summary>
internal sealed class ServiceProcess(
    string name, Uri address, string assemblyPath, IReadOnlyList<string> arguments, string logPath, IReadOnlyDictionary<string, string>? environment = null) : IDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private Process? _process;
    private StreamWriter? _log;

    public string Name { get; } = name;

    public Uri Address { get; } = address;

    public string LogPath { get; } = logPath;

    public bool HasExited => _process is null || _process.HasExited;

    public void Start()
    {
        if (IsPortTaken(Address))
        {
            throw new InvalidOperationException($"{Name}: port {Address.Port} is already in use. Is another federation running?");
        }

        if (!File.Exists(assemblyPath))
        {
            throw new InvalidOperationException($"{Name}: {assemblyPath} does not exist; build the solution first.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
        _log = new StreamWriter(LogPath, append: false) { AutoFlush = true };

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Address.GetLeftPart(UriPartial.Authority));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";

        // Seventeen services share one machine here: workstation GC keeps each process small.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // No file watchers on appsettings*.json: each one takes an inotify instance, and the user's
        // limit (128 by default on Linux) is shared with every other .NET process of that user, so
        // seventeen services beside a test run can hit it and fail to start. The gateway's registry
        // file keeps its own watcher (adding a node without a restart).
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => WriteLog(e.Data);
        _process.ErrorDataReceived += (_, e) => WriteLog(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until the service answers 200 on <c>/health/ready</c>; false if it exits first.</summary>
    public async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var ready = new Uri(Address, "/health/ready");
        try
        {
            return await PollAsync(ready, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<bool> PollAsync(Uri ready, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (HasExited)
            {
                return false;
            }

            try
            {
                using var response = await Probe.GetAsync(ready, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A probe timed out while the service seeds its data.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        return false;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            try
            {
                // Closing standard input first lets nothing depend on it; then stop the whole tree.
                _process.StandardInput.Close();
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        _process?.Dispose();
        _process = null;
        lock (this)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private void WriteLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (this)
        {
            _log?.WriteLine(line);
        }
    }

    private static bool IsPortTaken(Uri address)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(address.Host, address.Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

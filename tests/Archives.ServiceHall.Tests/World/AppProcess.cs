using System.Collections.Concurrent;
using System.Diagnostics;

namespace Archives.ServiceHall.Tests.World;

/// <summary>
/// One of the repository's built web apps as a child process (<c>dotnet App.dll --urls …</c>) on a
/// given loopback address, in Development, its settings on the command line, as src/Archives.Local
/// runs them. The address is the caller's: the hall's must be known before the identity server
/// starts, since the server accepts only its registered redirect URIs. The last output lines are kept
/// for the message when the app does not become ready.
/// </summary>
internal sealed class AppProcess(string name, string assembly, Uri address, IReadOnlyDictionary<string, string> settings) : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public string Name { get; } = name;

    public Uri Address { get; } = address;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The app's last output lines (for failure messages).</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts the app and waits until <paramref name="readyPath"/> answers 200.</summary>
    public async Task StartAsync(string readyPath, TimeSpan timeout)
    {
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{Name}: {assembly} does not exist; build it first.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Address.GetLeftPart(UriPartial.Authority));
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // No watchers on appsettings*.json: each takes an inotify instance of the user's small shared limit.
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var ready = new Uri(Address, readyPath);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && IsRunning)
        {
            try
            {
                using var response = await Probe.GetAsync(ready);
                if (response.IsSuccessStatusCode && IsRunning)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting on a small machine.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        var why = IsRunning ? $"did not answer 200 on {ready} within {timeout}" : $"exited with code {_process.ExitCode}";
        await StopAsync();
        throw new InvalidOperationException($"{Name} {why}. Its last output:{Environment.NewLine}{Output}");
    }

    /// <summary>Kills the process and its children, if it runs.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }

        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }
}

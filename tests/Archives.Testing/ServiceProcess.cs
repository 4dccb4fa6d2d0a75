using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Archives.Testing;

/// <summary>
/// One of the repository's built web apps as a child process (<c>dotnet App.dll --urls http://127.0.0.1:{port}</c>)
/// in Development, with its settings on the command line, as src/Archives.Local runs the federation. Its last
/// output lines are kept for the message when it does not become ready.
/// </summary>
internal sealed class ServiceProcess
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    /// <summary>Whether the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// Starts the app on a free loopback port and waits until <c>/health/ready</c> answers 200 and the
    /// app says it is this one. The port was free when picked, but another test's process may take it
    /// before this one binds it (this one then exits, and a 200 on <c>/health/ready</c> could be the
    /// other's): it is retried on another port, twice.
    /// </summary>
    /// <param name="name">What the app is, for the error message.</param>
    /// <param name="assembly">The app's built assembly.</param>
    /// <param name="settings">Its configuration, given its address (<c>http://127.0.0.1:{port}/</c>).</param>
    /// <param name="self">Where the app says who it is: a JSON document's path and property, and the value this one gives, given its address.</param>
    /// <param name="timeout">How long one attempt may take to become ready.</param>
    /// <returns>The app's address.</returns>
    public async Task<Uri> StartAsync(
        string name, string assembly, Func<Uri, IReadOnlyDictionary<string, string>> settings, SelfDescription self, TimeSpan timeout)
    {
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} does not exist; build it first.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var address = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
            Start(assembly, address, settings(address));
            if (await WaitUntilReadyAsync(address, self, timeout))
            {
                return address;
            }

            await StopAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException(
                    $"{name} did not become ready on {address}. Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");
            }
        }
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

    private void Start(string assembly, Uri address, IReadOnlyDictionary<string, string> settings)
    {
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
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";

        _output.Clear();
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task<bool> WaitUntilReadyAsync(Uri address, SelfDescription self, TimeSpan timeout)
    {
        var ready = new Uri(address, "health/ready");
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && IsRunning)
        {
            try
            {
                using var response = await Http.GetAsync(ready);
                if (response.IsSuccessStatusCode && await IsThisOneAsync(address, self) && IsRunning)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return false;
    }

    private static async Task<bool> IsThisOneAsync(Uri address, SelfDescription self)
    {
        using var response = await Http.GetAsync(new Uri(address, self.Path));
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return document.RootElement.TryGetProperty(self.Property, out var value) && value.GetString() == self.Expected(address);
        }
        catch (JsonException)
        {
            return false;
        }
    }

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

    /// <summary>A port nobody listens on now: the one the system picks for 127.0.0.1:0.</summary>
    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

/// <summary>Where an app says who it is: the JSON document at <paramref name="Path"/> (relative to its address) has <paramref name="Property"/> = <paramref name="Expected"/>(address).</summary>
internal sealed record SelfDescription(string Path, string Property, Func<Uri, string> Expected);

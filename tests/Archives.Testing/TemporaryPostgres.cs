using System.Diagnostics;

namespace Archives.Testing;

/// <summary>
/// A throw-away PostgreSQL cluster on a free loopback port, from the machine's own PostgreSQL
/// binaries (Debian's <c>postgresql</c> package); null when none is installed. As root it runs
/// as the <c>postgres</c> user, since PostgreSQL refuses to run as root.
/// </summary>
public sealed class TemporaryPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;
    private readonly bool _asPostgresUser;

    private TemporaryPostgres(string bin, string directory, bool asPostgresUser, int port)
    {
        _bin = bin;
        _directory = directory;
        _asPostgresUser = asPostgresUser;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    public string ConnectionString { get; }

    public static async Task<TemporaryPostgres?> StartAsync()
    {
        var bin = FindBinaries();
        if (bin is null)
        {
            return null;
        }

        var asPostgresUser = Environment.UserName == "root";
        var directory = Directory.CreateTempSubdirectory("archives-pg-").FullName;
        if (asPostgresUser)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", directory]);
        }

        var postgres = new TemporaryPostgres(bin, directory, asPostgresUser, LoopbackPort.Free());
        var port = postgres.ConnectionString.Split(';')[1]["Port=".Length..];
        await postgres.RunToolAsync("initdb", ["-D", Path.Combine(directory, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
        await postgres.RunToolAsync("pg_ctl", ["-D", Path.Combine(directory, "data"), "-l", Path.Combine(directory, "log"), "-w", "-o",
            $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start"]);
        return postgres;
    }

    public async ValueTask DisposeAsync()
    {
        await RunToolAsync("pg_ctl", ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        return Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
    }

    private Task RunToolAsync(string tool, string[] arguments) => _asPostgresUser
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
        : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}

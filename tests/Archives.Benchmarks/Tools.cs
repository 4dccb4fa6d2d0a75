using System.Diagnostics;
using Archives.Testing;

namespace Archives.Benchmarks;

/// <summary>The outside programs the benchmarks run (nginx, wrk, redis-server, git), found on PATH or installed from Debian's packages.</summary>
internal static class Tools
{
    /// <summary>The full path of a program on PATH (or in the sbin folders, where Debian puts nginx), or null.</summary>
    public static string? Find(string command)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin"]);
        return folders.Select(folder => Path.Combine(folder, command)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Makes sure each command exists: when one is missing and this runs as root, installs its Debian
    /// package (<c>apt-get install -y</c>, after <c>apt-get update</c> if the first attempt fails);
    /// otherwise stops with a message naming the packages to install.
    /// </summary>
    public static async Task EnsureAsync(params (string Command, string Package)[] tools)
    {
        var missing = tools.Where(t => Find(t.Command) is null).Select(t => t.Package).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var install = $"apt-get install -y {string.Join(' ', missing)}";
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"{string.Join(", ", missing)} not installed; run as root (the command installs them) or first: sudo {install}");
        }

        Console.Error.WriteLine($"Installing {string.Join(", ", missing)}: {install}");
        if (await RunAsync("apt-get", ["install", "-y", .. missing]) is not 0
            && (await RunAsync("apt-get", ["update"]) is not 0 || await RunAsync("apt-get", ["install", "-y", .. missing]) is not 0))
        {
            throw new InvalidOperationException($"Could not install {string.Join(", ", missing)}; install them with: {install}");
        }

        if (tools.FirstOrDefault(t => Find(t.Command) is null) is { Command: not null } still)
        {
            throw new InvalidOperationException($"{still.Package} was installed but '{still.Command}' is not on PATH.");
        }
    }

    /// <summary>The repository's commit (short hash, "+ local changes" when the worktree differs from it).</summary>
    public static string Commit()
    {
        var hash = Output("git", "rev-parse", "--short", "HEAD")?.Trim();
        if (string.IsNullOrEmpty(hash))
        {
            return "unknown (git not available)";
        }

        var changes = Output("git", "status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrWhiteSpace(changes) ? hash : $"{hash} + local changes";
    }

    /// <summary>Starts a long-running child process; its error output is passed on, prefixed with <paramref name="label"/>.</summary>
    public static Process StartChild(string label, ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{label} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"{label}: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills a child process with its own children (nginx's workers), and waits for it.</summary>
    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static async Task<int> RunAsync(string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static string? Output(string command, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = IdentityServerFixture.RepositoryRoot };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

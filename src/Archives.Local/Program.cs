using System.Runtime.InteropServices;
using Archives.Local;

// The whole federation on one machine: every service is its own process on its fixed loopback
// port (DESIGN.md, "Local federation"), started from gateway-config/local with embedded defaults.
LocalOptions options;
try
{
    options = LocalOptions.Parse(args);
}
catch (UsageException e)
{
    if (e.Message.Length > 0)
    {
        Console.Error.WriteLine(e.Message);
    }

    Console.Error.WriteLine(UsageException.Usage);
    return 2;
}

using var federation = new LocalFederation(options);
using var stop = new CancellationTokenSource();

// Ctrl+C, and a plain `kill` (SIGTERM, as systemd, `timeout` or a container runtime stop it): stop every
// service it started, then exit. Without its own SIGTERM handler the process ended at once and left the
// seventeen services running.
void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    stop.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
AppDomain.CurrentDomain.ProcessExit += (_, _) => federation.Dispose();

return await federation.RunAsync(stop.Token);

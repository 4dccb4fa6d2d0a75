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
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => federation.Dispose();

return await federation.RunAsync(stop.Token);

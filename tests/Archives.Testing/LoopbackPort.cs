using System.Net;
using System.Net.Sockets;

namespace Archives.Testing;

/// <summary>Free loopback ports for servers the tests and benchmarks start (never the local federation's fixed ports).</summary>
public static class LoopbackPort
{
    /// <summary>A port on 127.0.0.1 that nothing listens on now: the system's choice for port 0, released at once.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

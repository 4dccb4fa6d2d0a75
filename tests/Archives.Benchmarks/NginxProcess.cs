using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Archives.Testing;

namespace Archives.Benchmarks;

/// <summary>
/// nginx as the reverse proxy people would otherwise put in front of an archive: a generated
/// <c>nginx.conf</c> in a temporary folder, <c>nginx -c … -g 'daemon off;'</c> as a child process on a
/// free loopback port, proxying <c>/nodes/{nodeId}/</c> to the backend as the gateway's route does.
/// </summary>
internal sealed class NginxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TemporaryDirectory _directory;

    private NginxProcess(Process process, TemporaryDirectory directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>What the generated configuration does, for the report.</summary>
    public const string Description =
        "nginx: worker_processes auto, access log off, upstream keepalive 64 (HTTP/1.1, Connection \"\"), keepalive_requests 1000000 both sides, "
        + "X-Forwarded-For/Proto/Host set, proxy_buffering off with 64 KiB reads (answers stream through as YARP streams them, with YARP's 64 KiB buffer, never into a temp file)";

    /// <summary>The master's process id (its workers are its children), for reading CPU time from <c>/proc</c>.</summary>
    public int Id => _process.Id;

    public static async Task<NginxProcess> StartAsync(Uri backend, string nodeId)
    {
        var temporary = new TemporaryDirectory();
        var directory = temporary.Path;
        var port = LoopbackPort.Free();
        var config = Path.Combine(directory, "nginx.conf");
        // Note: the configuration a careful operator would write for this job. Keepalive to the backend
        // matters most (without it nginx opens a connection per request). Buffering is off so that nginx
        // streams as YARP does, reading 64 KiB at a time as YARP does: with the default 4 KiB reads nginx
        // passed 1 MiB answers at half the rate here.
        File.WriteAllText(config, $$"""
            worker_processes auto;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                keepalive_requests 1000000;
                upstream node {
                    server {{backend.Host}}:{{backend.Port}};
                    keepalive 64;
                    keepalive_requests 1000000;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location /nodes/{{nodeId}}/ {
                        proxy_pass http://node/;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header X-Forwarded-Host $host;
                        proxy_buffering off;
                        proxy_buffer_size 64k;
                        proxy_buffers 8 64k;
                    }
                }
            }
            """);

        var process = Tools.StartChild("nginx", new ProcessStartInfo(Tools.Find("nginx") ?? "nginx", ["-p", directory, "-e", Path.Combine(directory, "error.log"), "-c", config, "-g", "daemon off;"]));
        var nginx = new NginxProcess(process, temporary, new Uri($"http://127.0.0.1:{port}/"));
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (process.HasExited)
            {
                var log = Path.Combine(directory, "error.log");
                var why = File.Exists(log) ? File.ReadAllText(log) : "";
                await nginx.DisposeAsync();
                throw new InvalidOperationException($"nginx exited with code {process.ExitCode}: {why}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return nginx;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        await nginx.DisposeAsync();
        throw new TimeoutException("nginx did not listen within 10 s.");
    }

    public async ValueTask DisposeAsync()
    {
        await Tools.StopAsync(_process);
        _directory.Dispose();
    }
}

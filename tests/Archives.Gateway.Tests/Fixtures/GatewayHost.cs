using Archives.Gateway.Registry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Gateway.Tests.Fixtures;

/// <summary>
/// The real gateway on real Kestrel (127.0.0.1, port 0) with a temporary registry file, configured
/// only through configuration, as an operator would.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly Factory _factory;

    private readonly bool _ownsRegistry;

    private GatewayHost(Factory factory, string registryPath, bool ownsRegistry)
    {
        _factory = factory;
        _ownsRegistry = ownsRegistry;
        RegistryPath = registryPath;
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address);
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The gateway's base address.</summary>
    public Uri Address { get; }

    /// <summary>A client for the gateway.</summary>
    public HttpClient Client { get; }

    /// <summary>The registry file the gateway reads; rewrite it with <see cref="WriteRegistry"/>.</summary>
    public string RegistryPath { get; }

    internal IServiceProvider Services => _factory.Services;

    internal NodeRegistry Registry => Services.GetRequiredService<NodeRegistry>();

    public static GatewayHost Start(IEnumerable<IArchiveNodeUnderTest> nodes, IReadOnlyDictionary<string, string?>? settings = null)
        => Start(nodes.Select(n => new RegistryEntry(n)), settings);

    public static GatewayHost Start(IEnumerable<RegistryEntry> registry, IReadOnlyDictionary<string, string?>? settings = null, string? registryPath = null)
    {
        var path = registryPath ?? RegistryFileWriter.NewPath();
        if (registryPath is null)
        {
            RegistryFileWriter.Write(path, registry);
        }

        var all = new Dictionary<string, string?>
        {
            ["Gateway:RegistryFile"] = path,
            ["Gateway:Federation:Deadline"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new GatewayHost(new Factory(all), path, ownsRegistry: registryPath is null);
    }

    /// <summary>Rewrites the registry file the running gateway reads.</summary>
    public void WriteRegistry(IEnumerable<RegistryEntry> entries) => RegistryFileWriter.Write(RegistryPath, entries);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        if (_ownsRegistry)
        {
            Directory.Delete(Path.GetDirectoryName(RegistryPath)!, recursive: true);
        }
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Not Development: appsettings.Development.json would point at gateway-config/local.
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
        }
    }
}

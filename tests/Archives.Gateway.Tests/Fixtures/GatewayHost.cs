using Archives.Gateway.Registry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Gateway.Tests.Fixtures;

/// <summary>
/// The real gateway on real Kestrel (127.0.0.1, port 0) with a temporary registry file, configured
/// only through configuration, as an operator would. It trusts the project's identity server
/// (<see cref="Test.Identity"/>) and gets its node token there with the gateway's dev secret, so it
/// runs in Development (an http authority and a dev secret are refused elsewhere).
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly Factory _factory;

    private readonly bool _ownsRegistry;

    private readonly DirectoryInfo _dataDirectory;

    private HttpClient? _operator;

    private GatewayHost(Factory factory, string registryPath, bool ownsRegistry, DirectoryInfo dataDirectory)
    {
        _factory = factory;
        _ownsRegistry = ownsRegistry;
        _dataDirectory = dataDirectory;
        RegistryPath = registryPath;
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address);
        Client = ClientAs(DefaultClientId, DefaultScopes);
        Anonymous = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The gateway's base address.</summary>
    public Uri Address { get; }

    /// <summary>The client <see cref="Client"/> acts as: a government app with a broad agreement.</summary>
    public const string DefaultClientId = "zheliban";

    /// <summary>The scopes of <see cref="Client"/>'s token.</summary>
    public static readonly string[] DefaultScopes = ["catalog.read", "records.search"];

    /// <summary>A client for the gateway with a real token of <see cref="DefaultClientId"/> (a test may set its own Authorization).</summary>
    public HttpClient Client { get; }

    /// <summary>A client for the gateway acting as the operators' client (<c>ops</c>, scope <c>audit.read</c>).</summary>
    public HttpClient Operator => _operator ??= ClientAs("ops", "audit.read");

    /// <summary>A client for the gateway without a token.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>The registry file the gateway reads; rewrite it with <see cref="WriteRegistry"/>.</summary>
    public string RegistryPath { get; }

    internal IServiceProvider Services => _factory.Services;

    internal NodeRegistry Registry => Services.GetRequiredService<NodeRegistry>();

    public static GatewayHost Start(IEnumerable<IArchiveNodeUnderTest> nodes, IReadOnlyDictionary<string, string?>? settings = null, string environment = "Development", Action<IServiceCollection>? services = null)
        => Start(nodes.Select(n => new RegistryEntry(n)), settings, environment: environment, services: services);

    public static GatewayHost Start(IEnumerable<RegistryEntry> registry, IReadOnlyDictionary<string, string?>? settings = null, string? registryPath = null, string environment = "Development", Action<IServiceCollection>? services = null)
    {
        var path = registryPath ?? RegistryFileWriter.NewPath();
        if (registryPath is null)
        {
            RegistryFileWriter.Write(path, registry);
        }

        // The ledger, audit log and keys in a folder of this host's own (a test may set another), never the repository's .data.
        var data = Directory.CreateTempSubdirectory("archives-gateway-data-");
        var all = new Dictionary<string, string?>
        {
            ["Gateway:RegistryFile"] = path,
            ["Gateway:Certificates:DataDirectory"] = data.FullName,
            // Generous, so that only tests about deadlines (which set their own) ever see a timeout,
            // however loaded the shared machine is; node attempts time out well inside it.
            ["Gateway:Federation:Deadline"] = "00:00:20",
            ["Gateway:NodeClient:Resilience:AttemptTimeout:Timeout"] = "00:00:08",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Gateway:Auth:Authority"] = Identity.Issuer.AbsoluteUri,
            ["Gateway:NodeToken:ClientSecret"] = Identity.SecretOf("gateway"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new GatewayHost(new Factory(all, environment, services), path, ownsRegistry: registryPath is null, data);
    }

    /// <summary>Rewrites the registry file the running gateway reads.</summary>
    public void WriteRegistry(IEnumerable<RegistryEntry> entries) => RegistryFileWriter.Write(RegistryPath, entries);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        _operator?.Dispose();
        await _factory.DisposeAsync();
        if (_ownsRegistry)
        {
            Directory.Delete(Path.GetDirectoryName(RegistryPath)!, recursive: true);
        }

        _dataDirectory.Delete(recursive: true);
    }

    /// <summary>A client for the gateway that sends a real token of <paramref name="clientId"/> with <paramref name="scopes"/>.</summary>
    public HttpClient ClientAs(string clientId, params string[] scopes)
    {
        var handler = Identity.CreateTokenHandler(clientId, scopes);
        handler.InnerHandler = new HttpClientHandler();
        return new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, string environment, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // The registry file is always the test's own (appsettings.Development.json names gateway-config/local's).
            builder.UseEnvironment(environment);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(collection => services?.Invoke(collection));
        }
    }
}

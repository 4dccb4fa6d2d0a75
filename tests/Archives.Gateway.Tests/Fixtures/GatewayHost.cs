using Archives.Gateway.Access;
using Archives.Gateway.Certificates;
using Archives.Gateway.Ledger;
using Archives.Gateway.Registry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Gateway.Tests.Fixtures;

/// <summary>
/// The real gateway on real Kestrel (127.0.0.1, port 0), configured only through configuration, as an
/// operator would: a registry file of the test's nodes and a data directory (ledger, audit log, signing
/// keys) that several hosts may share, as instances share a ledger. It trusts the project's identity
/// server (<see cref="Test.Identity"/>) and gets its node token there with the gateway's dev secret, so it
/// runs in Development (an http authority and a dev secret are refused elsewhere). Callers send real
/// tokens: client credentials for machine clients, the service hall's code flow for clerks.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    /// <summary>The client <see cref="Client"/> acts as: a government app with a broad agreement.</summary>
    public const string DefaultClientId = "zheliban";

    /// <summary>The scopes of <see cref="Client"/>'s token.</summary>
    public static readonly string[] DefaultScopes = ["catalog.read", "records.search"];

    private readonly Factory _factory;

    private readonly bool _ownsRegistry;

    private readonly bool _ownsDataDirectory;

    private HttpClient? _operator;

    private GatewayHost(Factory factory, string registryPath, bool ownsRegistry, string dataDirectory, bool ownsDataDirectory)
    {
        _factory = factory;
        _ownsRegistry = ownsRegistry;
        _ownsDataDirectory = ownsDataDirectory;
        RegistryPath = registryPath;
        DataDirectory = dataDirectory;
        _factory.UseKestrel(0);
        _factory.StartServer();
        Address = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Client = ClientAs(DefaultClientId, DefaultScopes);
        Anonymous = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The gateway's base address.</summary>
    public Uri Address { get; }

    /// <summary>A client for the gateway with a real token of <see cref="DefaultClientId"/> (a test may set its own Authorization).</summary>
    public HttpClient Client { get; }

    /// <summary>A client for the gateway acting as the operators' client (<c>ops</c>, scope <c>audit.read</c>).</summary>
    public HttpClient Operator => _operator ??= ClientAs("ops", "audit.read");

    /// <summary>A client for the gateway without a token (for the public endpoints).</summary>
    public HttpClient Anonymous { get; }

    /// <summary>The registry file the gateway reads; rewrite it with <see cref="WriteRegistry"/>.</summary>
    public string RegistryPath { get; }

    /// <summary>Where the ledger (SQLite, unless <c>ConnectionStrings:Ledger</c> names PostgreSQL), the audit log and the signing keys are.</summary>
    public string DataDirectory { get; }

    internal IServiceProvider Services => _factory.Services;

    internal NodeRegistry Registry => Services.GetRequiredService<NodeRegistry>();

    internal CertificateIssuance Issuance => Services.GetRequiredService<CertificateIssuance>();

    /// <summary>A context on the host's ledger, whichever its provider.</summary>
    internal LedgerDatabase Ledger() => Services.GetRequiredService<IDbContextFactory<LedgerDatabase>>().CreateDbContext();

    /// <summary>A data directory of its own (not yet created), for hosts that share it; <see cref="TestData"/> deletes it.</summary>
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "archives-gateway-tests", "data-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Starts a gateway over <paramref name="nodes"/>. <paramref name="settings"/> override the defaults (a null
    /// value removes one); without <paramref name="dataDirectory"/> the host keeps its data in a directory of its own,
    /// deleted on dispose, never in the repository's <c>.data</c>.
    /// </summary>
    public static GatewayHost Start(
        IEnumerable<IArchiveNodeUnderTest> nodes,
        IReadOnlyDictionary<string, string?>? settings = null,
        string? dataDirectory = null,
        string environment = "Development",
        Action<IServiceCollection>? services = null)
        => Start(nodes.Select(n => new RegistryEntry(n)), settings, registryPath: null, dataDirectory, environment, services);

    /// <summary>
    /// Starts a gateway over a registry of <paramref name="registry"/>, or over the file at <paramref name="registryPath"/>
    /// as it is (another host's, to share it; or one a test wrote), which the host then leaves in place.
    /// </summary>
    public static GatewayHost Start(
        IEnumerable<RegistryEntry> registry,
        IReadOnlyDictionary<string, string?>? settings = null,
        string? registryPath = null,
        string? dataDirectory = null,
        string environment = "Development",
        Action<IServiceCollection>? services = null)
    {
        // The registry in a folder of its own, outside the data directory: the gateway watches the registry's
        // folder, and a ledger in it would wake the watcher on every commit.
        var path = registryPath ?? RegistryFileWriter.NewPath();
        if (registryPath is null)
        {
            RegistryFileWriter.Write(path, registry);
        }

        var data = dataDirectory ?? NewDataDirectory();
        Directory.CreateDirectory(data);
        var all = new Dictionary<string, string?>
        {
            ["Gateway:RegistryFile"] = path,
            ["Gateway:Certificates:DataDirectory"] = data,
            // Generous, so that only tests about deadlines (which set their own) ever see a timeout, however
            // loaded the shared machine is: a held evidence lookup never becomes a timed-out attempt and a retry.
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

        try
        {
            return new GatewayHost(new Factory(all, environment, services), path, ownsRegistry: registryPath is null, data, ownsDataDirectory: dataDirectory is null);
        }
        catch
        {
            // A start that fails (a test of bad configuration) leaves nothing behind either.
            Delete(registryPath is null ? Path.GetDirectoryName(path) : null, dataDirectory is null ? data : null);
            throw;
        }
    }

    /// <summary>Rewrites the registry file the running gateway reads.</summary>
    public void WriteRegistry(IEnumerable<RegistryEntry> entries) => RegistryFileWriter.Write(RegistryPath, entries);

    /// <summary>A client for the gateway that sends a real token of <paramref name="clientId"/> with <paramref name="scopes"/>.</summary>
    public HttpClient ClientAs(string clientId, params string[] scopes)
    {
        var handler = Identity.CreateTokenHandler(clientId, scopes);
        handler.InnerHandler = new HttpClientHandler();
        return new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>
    /// A client with a real token for <paramref name="caller"/>: a clerk of its hall (the demo clerk there)
    /// when it has one, else its client with its scopes. The token carries what identity's configuration
    /// says (agreement, names), not the rest of <paramref name="caller"/>.
    /// </summary>
    public HttpClient ClientFor(Caller caller)
    {
        if (caller.Hall is { } hall)
        {
            var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Bearer", ClerkTokens.ForHallAsync(hall.Value).GetAwaiter().GetResult());
            return client;
        }

        return ClientAs(caller.ClientId, [.. caller.Scopes]);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        _operator?.Dispose();
        await _factory.DisposeAsync();
        Delete(_ownsRegistry ? Path.GetDirectoryName(RegistryPath) : null, _ownsDataDirectory ? DataDirectory : null);
    }

    /// <summary>Deletes a data directory once no host uses it (its SQLite connections closed first).</summary>
    public static void DeleteDataDirectory(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Delete(string? registryDirectory, string? dataDirectory)
    {
        if (registryDirectory is not null)
        {
            Directory.Delete(registryDirectory, recursive: true);
        }

        if (dataDirectory is not null)
        {
            DeleteDataDirectory(dataDirectory);
        }
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

using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Certificates;
using Archives.Gateway.Ledger;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>
/// The real gateway on real Kestrel (127.0.0.1, port 0) over a registry of evidence nodes and a ledger
/// in <see cref="DataDirectory"/> (several hosts may share one, as instances share a ledger). It trusts
/// the project's identity server and calls nodes with its own node token, as <see cref="GatewayHost"/>;
/// callers send real tokens: client credentials for machine clients, the authorization code flow for
/// clerks (<see cref="ClerkTokens"/>).
/// </summary>
public sealed class CertificateHost : IAsyncDisposable
{
    private readonly Factory _factory;

    private CertificateHost(Factory factory, string dataDirectory)
    {
        _factory = factory;
        DataDirectory = dataDirectory;
        _factory.UseKestrel(0);
        _factory.StartServer();
        Address = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Anonymous = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    /// <summary>A client without credentials (for the public endpoints).</summary>
    public HttpClient Anonymous { get; }

    internal IServiceProvider Services => _factory.Services;

    internal CertificateIssuance Issuance => Services.GetRequiredService<CertificateIssuance>();

    internal LedgerDatabase Ledger() => Services.GetRequiredService<IDbContextFactory<LedgerDatabase>>().CreateDbContext();

    internal CertificateOptions Options => Services.GetRequiredService<IOptions<CertificateOptions>>().Value;

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "archives-gateway-tests", "certs-" + Guid.NewGuid().ToString("N"));

    public static CertificateHost Start(
        IEnumerable<IArchiveNodeUnderTest> nodes, string? dataDirectory = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var directory = dataDirectory ?? NewDataDirectory();
        var registry = Path.Combine(directory, "nodes.json");
        Directory.CreateDirectory(directory);
        if (!File.Exists(registry))
        {
            RegistryFileWriter.Write(registry, nodes.Select(n => new RegistryEntry(n)));
        }

        var all = new Dictionary<string, string?>
        {
            ["Gateway:RegistryFile"] = registry,
            ["Gateway:Certificates:DataDirectory"] = directory,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Gateway:Auth:Authority"] = Identity.Issuer.AbsoluteUri,
            ["Gateway:NodeToken:ClientSecret"] = Identity.SecretOf("gateway"),

            // As in GatewayHost: generous, so a loaded machine never turns a held evidence lookup
            // into a timed-out attempt and a retry.
            ["Gateway:Federation:Deadline"] = "00:00:20",
            ["Gateway:NodeClient:Resilience:AttemptTimeout:Timeout"] = "00:00:08",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new CertificateHost(new Factory(all, services), directory);
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

        var handler = Identity.CreateTokenHandler(caller.ClientId, [.. caller.Scopes]);
        handler.InnerHandler = new HttpClientHandler();
        return new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        await _factory.DisposeAsync();
    }

    /// <summary>Deletes a data directory once no host uses it.</summary>
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

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Development: the identity server of the tests is http (refused elsewhere).
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(collection => services?.Invoke(collection));
        }
    }
}

/// <summary>A ledger directory for one test, deleted when the test ends (declare it first so it is disposed last).</summary>
public sealed class TestData : IAsyncDisposable
{
    public string Path { get; } = CertificateHost.NewDataDirectory();

    public ValueTask DisposeAsync()
    {
        CertificateHost.DeleteDataDirectory(Path);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Callers as identity's tokens describe them (gateway-config/clients.json and local/clerks.json).</summary>
internal static class Callers
{
    private static readonly IReadOnlySet<RecordCategory> AllCategories = RecordCategory.All.ToHashSet();

    /// <summary>The clerk at the Hangzhou service hall (hz-clerk, 王芳); service-hall's agreement covers the whole Yangtze River Delta.</summary>
    public static Caller HangzhouClerk(string clerkId = "clerk-hz-01") => new(
        "service-hall", clerkId, "王芳", DivisionCode.Parse("330100"),
        new HashSet<string> { GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead },
        AllCategories, [RegionPrefix.Parse("33"), RegionPrefix.Parse("31"), RegionPrefix.Parse("32"), RegionPrefix.Parse("34")]);

    /// <summary>The clerk at the Ningbo service hall (nb-clerk).</summary>
    public static Caller NingboClerk() => HangzhouClerk("clerk-nb-01") with { Hall = DivisionCode.Parse("330200") };

    /// <summary>The government app.</summary>
    public static Caller Zheliban() => new(
        "zheliban", null, null, null, new HashSet<string> { GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead },
        AllCategories, [RegionPrefix.Parse("31"), RegionPrefix.Parse("32"), RegionPrefix.Parse("33"), RegionPrefix.Parse("34")]);

    /// <summary>A partner archive; its agreement covers Zhejiang's archives (region 33) only.</summary>
    public static Caller Partner(string clientId, params RecordCategory[] categories) => new(
        clientId, null, null, null, new HashSet<string> { GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead },
        categories.ToHashSet(), [RegionPrefix.Parse("33")]);

    public static Caller Operator() => new(
        "ops", null, null, null, new HashSet<string> { GatewayScopes.CertificatesRevoke, GatewayScopes.AuditRead },
        new HashSet<RecordCategory>(), []);
}

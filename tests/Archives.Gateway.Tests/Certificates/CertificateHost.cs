using System.Security.Claims;
using System.Text.Encodings.Web;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Certificates;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>
/// The real gateway on real Kestrel (127.0.0.1, port 0) over a registry of evidence nodes and a ledger
/// in <see cref="DataDirectory"/> (several hosts may share one, as instances share a ledger).
/// Until the gateway's own token authentication is merged, the test server adds an authentication
/// scheme (test code only, through WebApplicationFactory) that reads the caller's claims from
/// <c>Test-*</c> headers, so <see cref="Caller.From"/> sees what identity's tokens will carry.
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

    internal CertificateLedger Ledger() => Services.GetRequiredService<IDbContextFactory<CertificateLedger>>().CreateDbContext();

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
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new CertificateHost(new Factory(all, services), directory);
    }

    /// <summary>A client that acts as <paramref name="caller"/>.</summary>
    public HttpClient ClientFor(Caller caller)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add(TestCallerHandler.Client, caller.ClientId);
        client.DefaultRequestHeaders.Add(TestCallerHandler.Scopes, string.Join(' ', caller.Scopes));
        if (caller.Hall is { } hall)
        {
            client.DefaultRequestHeaders.Add(TestCallerHandler.Hall, hall.Value);
            client.DefaultRequestHeaders.Add(TestCallerHandler.Clerk, caller.ClerkId ?? "clerk");
            client.DefaultRequestHeaders.Add(TestCallerHandler.ClerkName, Uri.EscapeDataString(caller.ClerkName ?? ""));
        }

        client.DefaultRequestHeaders.Add(TestCallerHandler.Categories, string.Join(' ', caller.Categories.Select(c => c.Code)));
        client.DefaultRequestHeaders.Add(TestCallerHandler.Regions, string.Join(' ', caller.Regions.Select(r => r.Value)));
        return client;
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
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(collection =>
            {
                collection.AddAuthentication(TestCallerHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, TestCallerHandler>(TestCallerHandler.SchemeName, null);
                services?.Invoke(collection);
            });
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

/// <summary>Test-only authentication: the claims identity's access tokens carry, from request headers.</summary>
internal sealed class TestCallerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestCaller";
    public const string Client = "Test-Client-Id";
    public const string Scopes = "Test-Scopes";
    public const string Hall = "Test-Hall";
    public const string Clerk = "Test-Clerk";
    public const string ClerkName = "Test-Clerk-Name";
    public const string Categories = "Test-Categories";
    public const string Regions = "Test-Regions";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers[Client].ToString() is not { Length: > 0 } client)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim>
        {
            new("client_id", client),
            new("scope", Request.Headers[Scopes].ToString()),
            new("archives_categories", Request.Headers[Categories].ToString()),
            new("archives_regions", Request.Headers[Regions].ToString()),
        };
        if (Request.Headers[Hall].ToString() is { Length: > 0 } hall)
        {
            claims.Add(new Claim("hall", hall));
            claims.Add(new Claim("sub", Request.Headers[Clerk].ToString()));
            claims.Add(new Claim("name", Uri.UnescapeDataString(Request.Headers[ClerkName].ToString())));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

/// <summary>Callers as identity's tokens describe them.</summary>
internal static class Callers
{
    private static readonly IReadOnlySet<RecordCategory> AllCategories = RecordCategory.All.ToHashSet();

    /// <summary>A clerk at a Hangzhou service hall whose agreement covers the whole Yangtze River Delta.</summary>
    public static Caller HangzhouClerk(string clerkId = "clerk-hz-01") => new(
        "service-hall", clerkId, "李明", DivisionCode.Parse("330100"),
        new HashSet<string> { GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead },
        AllCategories, [RegionPrefix.Parse("33"), RegionPrefix.Parse("31"), RegionPrefix.Parse("32"), RegionPrefix.Parse("34")]);

    /// <summary>The government app, Zhejiang's archives only.</summary>
    public static Caller Zheliban() => new(
        "zheliban", null, null, null, new HashSet<string> { GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead },
        AllCategories, [RegionPrefix.Parse("33")]);

    public static Caller Partner(string clientId, params RecordCategory[] categories) => new(
        clientId, null, null, null, new HashSet<string> { GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead },
        categories.ToHashSet(), [RegionPrefix.Parse("33")]);

    public static Caller Operator() => new(
        "ops", null, null, null, new HashSet<string> { GatewayScopes.CertificatesRevoke, GatewayScopes.AuditRead },
        new HashSet<RecordCategory>(), []);
}

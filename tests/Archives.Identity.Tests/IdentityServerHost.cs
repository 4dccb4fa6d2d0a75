using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Identity.Tests;

/// <summary>
/// The real identity server on a free loopback port (Kestrel, port 0), with its store in a
/// temporary folder and the repository's <c>gateway-config</c> files, passed explicitly.
/// </summary>
public class IdentityServerHost : IAsyncLifetime
{
    /// <summary>The copy of the repository's gateway-config folder in the test output.</summary>
    public static readonly string ConfigDirectory = Path.Combine(AppContext.BaseDirectory, "gateway-config");

    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDataDirectory;
    private Factory? _factory;

    /// <param name="environment">The hosting environment.</param>
    /// <param name="settings">Configuration on top of the defaults below (a null value removes a default).</param>
    /// <param name="dataDirectory">The store's folder; a new temporary one when null (and deleted at the end).</param>
    public IdentityServerHost(string environment, Dictionary<string, string?> settings, string? dataDirectory = null)
    {
        _environment = environment;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("archives-identity-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Identity:DataDirectory"] = DataDirectory,
            ["Identity:ConfigDirectory"] = ConfigDirectory,
            ["Identity:ClientsFile"] = Path.Combine(ConfigDirectory, "clients.json"),
        };
        if (environment == "Development")
        {
            _settings["Identity:LocalClientsFile"] = Path.Combine(ConfigDirectory, "local", "clients.json");
            _settings["Identity:ClerksFile"] = Path.Combine(ConfigDirectory, "local", "clerks.json");
        }

        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public async ValueTask InitializeAsync()
    {
        _factory = new Factory(_environment, _settings);
        _factory.UseKestrel(0);
        try
        {
            _factory.StartServer();
        }
        catch
        {
            await _factory.DisposeAsync();
            _factory = null;
            throw;
        }

        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>A client that follows no redirects and keeps cookies, as a browser would between requests.</summary>
    public HttpClient CreateBrowser() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = Address };

    public HttpClient CreateClient() => new() { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_ownsDataDirectory)
        {
            DeleteQuietly(DataDirectory);
        }
    }

    public static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the temp cleaner.
        }
    }

    /// <summary>The dev-only secret of a client, from the repository's local/clients.json.</summary>
    public static string SecretOf(string clientId) => LocalClients().Single(c => c.ClientId == clientId).Secret;

    public static IReadOnlyList<(string ClientId, string Secret, string[] Scopes)> LocalClients()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ConfigDirectory, "local", "clients.json")));
        return [.. document.RootElement.GetProperty("clients").EnumerateArray().Select(c => (
            c.GetProperty("clientId").GetString()!,
            c.GetProperty("clientSecret").GetString()!,
            c.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray()))];
    }

    /// <summary>How many demo clerks the repository's local/clerks.json declares.</summary>
    public static int ClerkCount()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ConfigDirectory, "local", "clerks.json")));
        return document.RootElement.GetProperty("clerks").GetArrayLength();
    }

    /// <summary>A demo clerk of the repository's local/clerks.json.</summary>
    public static (string UserName, string Password, string Hall, string DisplayName) Clerk(string userName)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ConfigDirectory, "local", "clerks.json")));
        var clerk = document.RootElement.GetProperty("clerks").EnumerateArray().Single(c => c.GetProperty("userName").GetString() == userName);
        return (userName, clerk.GetProperty("password").GetString()!, clerk.GetProperty("hall").GetString()!, clerk.GetProperty("displayName").GetString()!);
    }

    private sealed class Factory(string environment, Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);
            foreach (var (key, value) in settings)
            {
                if (value is not null)
                {
                    builder.UseSetting(key, value);
                }
            }
        }
    }
}

/// <summary>One Development server shared by the tests that do not change its state in ways others could see.</summary>
public sealed class SharedIdentityServer() : IdentityServerHost("Development", []);

[CollectionDefinition(Name)]
public sealed class SharedServer : ICollectionFixture<SharedIdentityServer>
{
    public const string Name = "shared identity server";
}

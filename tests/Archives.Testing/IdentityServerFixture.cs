using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Archives.Testing;

/// <summary>
/// The real identity server (<c>src/Archives.Identity</c>, its build output) as a child process
/// (<c>dotnet Archives.Identity.dll</c>) on a free loopback port, in Development, with a temporary
/// data directory and the repository's <c>gateway-config</c>; and real tokens from it (client
/// credentials, and clerks through the sign-in page). A process rather than a
/// <c>WebApplicationFactory</c>: a test project that also hosts the gateway or a node in-process
/// would otherwise have two web apps' <c>Program</c> types.
/// </summary>
/// <remarks>
/// One server for a whole test project: <c>[assembly: AssemblyFixture(typeof(IdentityServerFixture))]</c>,
/// then take <see cref="IdentityServerFixture"/> in a test class's or class fixture's constructor.
/// A test that needs a server of its own (another issuer, short-lived tokens, one to stop) creates
/// one with <c>await using</c> and calls <see cref="InitializeAsync"/>; other settings or clients
/// come through a derived class. The process is killed on dispose; a test host that is itself
/// killed leaves it running.
/// </remarks>
public class IdentityServerFixture : Xunit.IAsyncLifetime
{
    private static readonly Assembly Metadata = typeof(IdentityServerFixture).Assembly;

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly ServiceProcess _service = new();
    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A server with the repository's configuration and default settings.</summary>
    public IdentityServerFixture()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>A server with other settings or clients: derive a fixture from this class (xunit wants one public constructor).</summary>
    /// <param name="settings">Configuration passed on the command line, e.g. <c>["Identity:AccessTokenLifetime"] = "00:00:05"</c>.</param>
    /// <param name="configDirectory">A <c>gateway-config</c> folder (with <c>local/clients.json</c>); the repository's by default.</param>
    protected IdentityServerFixture(IReadOnlyDictionary<string, string> settings, string? configDirectory = null)
    {
        _settings = settings;
        ConfigDirectory = configDirectory ?? Path.Combine(RepositoryRoot, "gateway-config");
        DataDirectory = Directory.CreateTempSubdirectory("archives-identity-").FullName;
    }

    /// <summary>The repository's root folder.</summary>
    public static string RepositoryRoot { get; } = Metadatum("RepositoryRoot");

    /// <summary>The identity server's built assembly (the configuration this project was built in).</summary>
    public static string IdentityAssembly { get; } = Metadatum("IdentityAssembly");

    /// <summary>The <c>gateway-config</c> folder the server reads, and the dev secrets are read from.</summary>
    public string ConfigDirectory { get; }

    /// <summary>The server's SQLite store and development keys; deleted on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>The issuer, which is also the server's address: <c>http://127.0.0.1:{port}/</c>. What a resource server takes as its authority.</summary>
    public Uri Issuer { get; private set; } = null!;

    /// <summary>Whether the server process runs.</summary>
    public bool IsRunning => _service.IsRunning;

    /// <summary>Starts the server and waits for <c>/health/ready</c> (a taken port is retried on another one).</summary>
    public async ValueTask InitializeAsync() =>
        Issuer = await _service.StartAsync(
            "The identity server", IdentityAssembly, Arguments, new(".well-known/openid-configuration", "issuer", issuer => issuer.AbsoluteUri), TimeSpan.FromSeconds(90));

    /// <summary>
    /// An access token for <paramref name="clientId"/> (client credentials, its dev secret from
    /// <c>local/clients.json</c>), reused for the same client and scopes until half its lifetime has passed.
    /// </summary>
    public async Task<string> GetTokenAsync(string clientId, IEnumerable<string> scopes, CancellationToken cancellationToken = default)
    {
        var scope = string.Join(' ', scopes);
        var key = $"{clientId} {scope}";
        if (_tokens.TryGetValue(key, out var cached) && cached.RenewAt > DateTimeOffset.UtcNow)
        {
            return cached.AccessToken;
        }

        var fresh = await RequestAsync(clientId, scope, cancellationToken);
        _tokens[key] = fresh;
        return fresh.AccessToken;
    }

    /// <inheritdoc cref="GetTokenAsync(string, IEnumerable{string}, CancellationToken)"/>
    public Task<string> GetTokenAsync(string clientId, params string[] scopes) => GetTokenAsync(clientId, scopes, CancellationToken.None);

    /// <summary>
    /// An access token of the demo clerk <paramref name="userName"/> of <c>{ConfigDirectory}/local/clerks.json</c>,
    /// from the real authorization code flow with PKCE of the <c>service-hall</c> client (see <see cref="ClerkCodeFlow"/>):
    /// the sign-in page with the clerk's password, the code from the redirect to the client's first
    /// registered redirect URI in <c>{ConfigDirectory}/clients.json</c> (never requested), the token
    /// request with the client's dev secret and the code verifier. Reused for the same clerk and
    /// scopes until half its lifetime has passed.
    /// </summary>
    /// <param name="userName">The clerk, e.g. <c>hz-clerk</c> or <c>hz-supervisor</c>.</param>
    /// <param name="scopes">The scopes asked for, as they are: <c>openid</c> and <c>profile</c> are not added. The token may carry fewer (<c>certificates.revoke</c> only for a supervisor).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public async Task<string> GetClerkTokenAsync(string userName, IEnumerable<string> scopes, CancellationToken cancellationToken = default)
    {
        var scope = string.Join(' ', scopes);
        var key = $"clerk {userName} {scope}";
        if (_tokens.TryGetValue(key, out var cached) && cached.RenewAt > DateTimeOffset.UtcNow)
        {
            return cached.AccessToken;
        }

        using var flow = new ClerkCodeFlow(Issuer, SecretOf(ClerkCodeFlow.ClientId), ClerkCodeFlow.RedirectUriIn(ConfigDirectory));
        var tokens = await flow.GetTokensAsync(userName, PasswordOf(userName), scope, cancellationToken);
        _tokens[key] = new CachedToken(tokens.AccessToken!, DateTimeOffset.UtcNow + (tokens.ExpiresIn ?? TimeSpan.Zero) / 2);
        return tokens.AccessToken!;
    }

    /// <summary>The dev-only password of a demo clerk, from <c>{ConfigDirectory}/local/clerks.json</c>.</summary>
    public string PasswordOf(string userName) => ClerkCodeFlow.PasswordIn(ConfigDirectory, userName);

    /// <summary>A new access token every call, never from the cache (e.g. one no resource server has seen yet).</summary>
    public async Task<string> RequestTokenAsync(string clientId, IEnumerable<string> scopes, CancellationToken cancellationToken = default) =>
        (await RequestAsync(clientId, string.Join(' ', scopes), cancellationToken)).AccessToken;

    /// <summary>A handler that adds a token of <paramref name="clientId"/> to every request that has no Authorization header.</summary>
    public BearerTokenHandler CreateTokenHandler(string clientId, params string[] scopes) => new(this, clientId, scopes);

    /// <summary>The dev-only secret of a client, from <c>{ConfigDirectory}/local/clients.json</c>.</summary>
    public string SecretOf(string clientId)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ConfigDirectory, "local", "clients.json")));
        foreach (var client in document.RootElement.GetProperty("clients").EnumerateArray())
        {
            if (client.GetProperty("clientId").GetString() == clientId)
            {
                return client.GetProperty("clientSecret").GetString()!;
            }
        }

        throw new ArgumentException($"No client '{clientId}' in {ConfigDirectory}/local/clients.json.", nameof(clientId));
    }

    /// <summary>Kills the server (e.g. to show what keeps working without it); tokens already issued stay valid.</summary>
    public Task StopAsync() => _service.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the temp cleaner.
        }
    }

    private IReadOnlyDictionary<string, string> Arguments(Uri issuer)
    {
        var arguments = new Dictionary<string, string>
        {
            ["Identity:Issuer"] = issuer.AbsoluteUri,
            ["Identity:ConfigDirectory"] = ConfigDirectory,
            ["Identity:DataDirectory"] = DataDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in _settings)
        {
            arguments[key] = value;
        }

        return arguments;
    }

    private async Task<CachedToken> RequestAsync(string clientId, string scope, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = SecretOf(clientId),
        };
        if (scope.Length > 0)
        {
            form["scope"] = scope;
        }

        using var content = new FormUrlEncodedContent(form);
        using var response = await _http.PostAsync(new Uri(Issuer, "connect/token"), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The identity server refused a token to '{clientId}' for '{scope}': {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        var lifetime = TimeSpan.FromSeconds(json.RootElement.GetProperty("expires_in").GetInt32());
        return new CachedToken(json.RootElement.GetProperty("access_token").GetString()!, DateTimeOffset.UtcNow + lifetime / 2);
    }

    private static string Metadatum(string key) =>
        Metadata.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private sealed record CachedToken(string AccessToken, DateTimeOffset RenewAt);
}

using System.Collections.Concurrent;
using Archives.Contracts;
using Archives.Node.Data;
using Archives.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Refit;

// One real identity server (a child process) for the whole project: every node trusts it.
[assembly: AssemblyFixture(typeof(IdentityServerFixture))]

namespace Archives.Node.Tests;

/// <summary>
/// A real node on Kestrel (127.0.0.1, port 0) with a small seeded database in a temporary
/// directory, trusting the project's identity server, called through the contract's Refit client
/// with the gateway's real <c>node.api</c> token so that client and server cannot drift.
/// </summary>
public class NodeFixture : IAsyncLifetime
{
    /// <summary>Hangzhou's categories in the local federation's registry.</summary>
    public const string HangzhouCategories = "marriage,educated-youth,military-service,employment,school,one-child";

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDirectory;

    public NodeFixture(IdentityServerFixture identity)
        : this(identity, new Dictionary<string, string?>())
    {
    }

    protected NodeFixture(IdentityServerFixture identity, Dictionary<string, string?> overrides, string? dataDirectory = null)
    {
        Identity = identity;
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? NewDataDirectory();
        _settings = new Dictionary<string, string?>
        {
            ["Node:Id"] = "330100",
            ["Node:NameZh"] = "杭州市档案馆",
            ["Node:NameEn"] = "Hangzhou Municipal Archives",
            ["Node:DivisionCode"] = "330100",
            ["Node:Level"] = "city",
            ["Node:Categories"] = HangzhouCategories,
            ["Node:DataDirectory"] = DataDirectory,
            ["Node:Seed"] = "7",
            ["Node:CatalogueEntries"] = "3000",
            ["Node:PersonalRecords"] = "1000",
            ["Node:DemoCitizensFile"] = Repository.DemoCitizensFile,
            ["Node:RetrievalDelay"] = "00:00:02",
            ["Node:Auth:Authority"] = identity.Issuer.AbsoluteUri,
        };
        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    /// <summary>The identity server the node trusts.</summary>
    public IdentityServerFixture Identity { get; }

    public LogCapture Logs { get; } = new();

    internal NodeFactory Factory { get; private set; } = null!;

    /// <summary>A client that sends the gateway's <c>node.api</c> token.</summary>
    public HttpClient Http { get; private set; } = null!;

    public IArchiveNodeApi Api { get; private set; } = null!;

    public string Setting(string key) => _settings[key]!;

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "archives-node-tests", Guid.NewGuid().ToString("N"));

    public virtual async ValueTask InitializeAsync() => await StartAsync();

    /// <summary>Starts (or restarts, on the same data directory) the node and waits until it is ready.</summary>
    public async Task StartAsync()
    {
        Factory = new NodeFactory(_settings, Logs);
        Factory.StartServer();
        Http = Factory.CreateDefaultClient(Identity.CreateTokenHandler("gateway", "node.api"));
        Http.Timeout = TimeSpan.FromSeconds(30);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await Http.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The node did not become ready.");
            }

            await Task.Delay(50);
        }

        Api = RestService.For<IArchiveNodeApi>(Http);
    }

    /// <summary>A client that sends no token (the caller adds one per request if it wants).</summary>
    public HttpClient CreateAnonymousClient() => new() { BaseAddress = Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task StopAsync()
    {
        Http.Dispose();
        await Factory.DisposeAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
        if (_ownsDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A temp directory left behind is harmless.
            }
        }
    }

    /// <summary>Reads or writes the node's own database, as the node does.</summary>
    internal async Task<T> WithDbAsync<T>(Func<NodeDbContext, Task<T>> action)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NodeDbContext>();
        return await action(db);
    }

    internal Task<List<Archives.Node.Records.PersonalRecord>> RecordsAsync() => WithDbAsync(db => db.PersonalRecords.ToListAsync());
}

internal sealed class NodeFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly LogCapture _logs;
    private readonly bool _keysOverHttp;

    /// <param name="settings">The node's configuration.</param>
    /// <param name="logs">Where its log goes.</param>
    /// <param name="keysOverHttp">Let the node, which runs as Production, read the identity server's keys over plain loopback HTTP.</param>
    public NodeFactory(Dictionary<string, string?> settings, LogCapture logs, bool keysOverHttp = true)
    {
        _settings = settings;
        _logs = logs;
        _keysOverHttp = keysOverHttp;
        // Real Kestrel on 127.0.0.1, a free port: the tests speak real HTTP.
        this.UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(_logs));

        // Note: the node runs as Production (so that a 500 says nothing) against an identity server on
        // plain loopback HTTP; only this test host lets the node read the keys over HTTP.
        if (_keysOverHttp)
        {
            builder.ConfigureTestServices(services => services.Configure<JwtBearerOptions>(
                JwtBearerDefaults.AuthenticationScheme, options => options.RequireHttpsMetadata = false));
        }
    }
}

/// <summary>Every log message the node writes, to show what never appears in them.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => capture.Messages.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}

internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string DemoCitizensFile => Path.Combine(Root, "gateway-config", "local", "demo-citizens.json");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above the test binaries.");
    }
}

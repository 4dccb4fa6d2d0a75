using System.Reflection;
using Archives.Testing;
using Microsoft.Playwright;

namespace Archives.ServiceHall.Tests.World;

/// <summary>
/// The whole federation a clerk's browser meets, once per test assembly, every part the real one as its
/// own process on 127.0.0.1 and free ports: the identity server (with a copy of <c>gateway-config</c>
/// whose <c>service-hall</c> redirect URIs name this hall's port), reference nodes of a Zhejiang archive
/// (Hangzhou 330100, the province 330000), a partner archive (Shanghai 310000) and one that a test stops
/// (Anhui 340000), the gateway with a registry of them and a data directory of its own, and the service
/// hall. One headless Chromium is shared; each test gets a browser context of its own.
/// </summary>
public sealed class HallWorld : IAsyncLifetime
{
    /// <summary>The node a test may stop; only 刘志强's search needs it answering.</summary>
    public const string StoppableNode = "340000";

    private static readonly Assembly Metadata = typeof(HallWorld).Assembly;

    private readonly string _root = Directory.CreateTempSubdirectory("archives-hall-world-").FullName;
    private readonly Dictionary<string, ReferenceNode> _nodes = [];
    private AppProcess? _gateway;
    private AppProcess? _hall;
    private AppProcess? _hallCutOff;
    private IPlaywright? _playwright;
    private HallIdentityServer? _identity;
    private GatewayLedger? _ledger;

    /// <summary>The nodes started, Zhejiang's and the partner's first.</summary>
    public static IReadOnlyList<string> NodeIds { get; } = ["330100", "330000", "310000", StoppableNode];

    public IdentityServerFixture Identity => _identity ?? throw NotStarted();

    /// <summary>The gateway's address.</summary>
    public Uri Gateway => _gateway?.Address ?? throw NotStarted();

    /// <summary>The hall's address (what the clerk's browser opens).</summary>
    public Uri Hall => _hall?.Address ?? throw NotStarted();

    /// <summary>A second hall, signed in by the same identity server, whose gateway address nothing listens on: the gateway down.</summary>
    public Uri HallCutOff => _hallCutOff?.Address ?? throw NotStarted();

    /// <summary>The gateway's certificate ledger and audit log (SQLite).</summary>
    public string LedgerFile => Path.Combine(_root, "gateway", "ledger", "ledger.db");

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The gateway's certificate ledger and audit log, read through its API with an operator's token.</summary>
    public GatewayLedger Ledger
    {
        get
        {
            RequireHall();
            return _ledger!;
        }
    }

    /// <summary>A node's Chinese name, as the gateway reports it.</summary>
    public string NodeName(string nodeId) => _nodes[nodeId].NameZh;

    /// <summary>
    /// Whether <c>src/Archives.ServiceHall</c> exists in this checkout. Without it nothing is started and
    /// every test is skipped saying so; with it, a missing build output fails (it is built first).
    /// </summary>
    public static bool HallExists { get; } =
        File.Exists(Path.Combine(IdentityServerFixture.RepositoryRoot, "src", "Archives.ServiceHall", "Archives.ServiceHall.csproj"));

    /// <summary>Skips the running test when the repository has no service hall yet.</summary>
    public static void RequireHall() =>
        Assert.SkipUnless(HallExists, "src/Archives.ServiceHall does not exist in this checkout: there is no hall to test.");

    public async ValueTask InitializeAsync()
    {
        if (!HallExists)
        {
            return;
        }

        // The hall's port first: the identity server must know the hall's redirect URIs when it starts.
        var hall = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        var hallCutOff = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        var config = HallConfig.Write(Path.Combine(_root, "gateway-config"), hall, hallCutOff);
        _identity = new HallIdentityServer(config);
        await _identity.InitializeAsync();

        foreach (var node in await ReferenceNode.StartAllAsync(_identity, NodeIds))
        {
            _nodes[node.NodeId] = node;
        }

        var gatewayData = Directory.CreateDirectory(Path.Combine(_root, "gateway")).FullName;
        // The registry apart from the ledger: the registry's folder is watched, and a ledger inside it would wake the watcher on every commit.
        var registry = Path.Combine(gatewayData, "config", "nodes.json");
        ReferenceNode.WriteRegistry(registry, _nodes.Values);
        _gateway = new AppProcess("The gateway", Metadatum("GatewayAssembly"), new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/"), new Dictionary<string, string>
        {
            ["Gateway:RegistryFile"] = registry,
            ["Gateway:RateLimitsFile"] = Path.Combine(config, "rate-limits.json"),
            ["Gateway:Certificates:DataDirectory"] = Path.GetDirectoryName(LedgerFile)!,
            ["Gateway:Auth:Authority"] = _identity.Issuer.AbsoluteUri,
            ["Gateway:NodeToken:ClientSecret"] = _identity.SecretOf("gateway"),
            // A stopped archive costs a search at most this long; the hall streams the others meanwhile. Long enough that a
            // running archive's first answer on a loaded machine (cold gateway, first node query) is never taken for a timeout.
            ["Gateway:Federation:Deadline"] = "00:00:06",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await _gateway.StartAsync("health/ready", TimeSpan.FromSeconds(90));

        _hall = new AppProcess("The service hall", Metadatum("ServiceHallAssembly"), hall, new Dictionary<string, string>
        {
            ["ServiceHall:Gateway"] = _gateway.Address.AbsoluteUri,
            ["ServiceHall:Authority"] = _identity.Issuer.AbsoluteUri,
            ["ServiceHall:ClientSecret"] = _identity.SecretOf(HallConfig.ClientId),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await _hall.StartAsync("health/ready", TimeSpan.FromSeconds(90));

        _hallCutOff = new AppProcess("The service hall without a gateway", Metadatum("ServiceHallAssembly"), hallCutOff, new Dictionary<string, string>
        {
            ["ServiceHall:Gateway"] = $"http://127.0.0.1:{LoopbackPort.Free()}/",
            ["ServiceHall:Authority"] = _identity.Issuer.AbsoluteUri,
            ["ServiceHall:ClientSecret"] = _identity.SecretOf(HallConfig.ClientId),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await _hallCutOff.StartAsync("health/ready", TimeSpan.FromSeconds(90));

        _ledger = new GatewayLedger(_gateway.Address, _identity);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            // --no-sandbox: the tests run as root.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    /// <summary>Stops a node (killed, as an archive that goes away): searches then show it as not answering.</summary>
    public async Task StopNodeAsync(string nodeId)
    {
        RequireHall();
        await _nodes[nodeId].DisposeAsync();
    }

    /// <summary>The hall's and the gateway's last output lines, for a failure message.</summary>
    public string Logs() =>
        $"--- hall ---{Environment.NewLine}{_hall?.Output}{Environment.NewLine}--- gateway ---{Environment.NewLine}{_gateway?.Output}";

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _ledger?.Dispose();
        if (_hall is not null)
        {
            await _hall.DisposeAsync();
        }

        if (_hallCutOff is not null)
        {
            await _hallCutOff.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        foreach (var node in _nodes.Values)
        {
            await node.DisposeAsync();
        }

        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the temp cleaner.
        }
    }

    private static string Metadatum(string key) =>
        Metadata.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static InvalidOperationException NotStarted() => new("The world has not started.");

    /// <summary>The real identity server reading the world's copy of <c>gateway-config</c>.</summary>
    private sealed class HallIdentityServer(string configDirectory)
        : IdentityServerFixture(new Dictionary<string, string>(), configDirectory);
}

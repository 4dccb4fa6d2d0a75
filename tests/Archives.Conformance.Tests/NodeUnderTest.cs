using System.Net.Http.Headers;
using System.Text.Json;
using Archives.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Refit;

namespace Archives.Conformance.Tests;

/// <summary>
/// The archive node the kit checks. By default the reference node (<c>src/Archives.Node</c>),
/// started on a free loopback port with a small seeded archive and the demo citizens, trusting the
/// real identity server (started too, as a child process), and called with the gateway's real
/// <c>node.api</c> token. A partner points the kit at their own implementation with environment variables:
/// <list type="bullet">
/// <item><c>ARCHIVES_CONFORMANCE_NODE_URL</c>: the node's base address.</item>
/// <item><c>ARCHIVES_CONFORMANCE_TOKEN</c>: a bearer token with the <c>node.api</c> scope (aud <c>archives-node</c>) from the identity server the node trusts.</item>
/// <item><c>ARCHIVES_CONFORMANCE_SUBJECTS</c>: a JSON file of subjects known to have records at that node, in the format of <c>gateway-config/local/demo-citizens.json</c>.</item>
/// </list>
/// </summary>
public sealed class NodeUnderTest : IAsyncLifetime
{
    private const string ReferenceNodeId = "330100";
    private ReferenceNodeFactory? _reference;
    private IdentityServerFixture? _identity;

    public HttpClient Http { get; private set; } = null!;

    public IArchiveNodeApi Api { get; private set; } = null!;

    public NodeInfo Info { get; private set; } = null!;

    /// <summary>Subjects with records at this node, each with the records expected there.</summary>
    public IReadOnlyList<KnownSubject> Subjects { get; private set; } = [];

    /// <summary>Whether this is the reference node, on which the kit may also add data.</summary>
    public bool IsReferenceNode => _reference is not null;

    public async ValueTask InitializeAsync()
    {
        var url = Environment.GetEnvironmentVariable("ARCHIVES_CONFORMANCE_NODE_URL");
        var subjectsFile = Environment.GetEnvironmentVariable("ARCHIVES_CONFORMANCE_SUBJECTS")
            ?? Path.Combine(AppContext.BaseDirectory, "demo-citizens.json");

        if (string.IsNullOrWhiteSpace(url))
        {
            _identity = new IdentityServerFixture();
            await _identity.InitializeAsync();
            _reference = new ReferenceNodeFactory(ReferenceNodeId, subjectsFile, _identity.Issuer);
            _reference.UseKestrel(0);
            _reference.StartServer();
            Http = _reference.CreateDefaultClient(_identity.CreateTokenHandler("gateway", "node.api"));
        }
        else
        {
            Http = new HttpClient { BaseAddress = new Uri(url) };
            var token = Environment.GetEnvironmentVariable("ARCHIVES_CONFORMANCE_TOKEN");
            if (!string.IsNullOrWhiteSpace(token))
            {
                Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }

        Http.Timeout = TimeSpan.FromSeconds(30);

        Api = RestService.For<IArchiveNodeApi>(Http, new RefitSettings(new SystemTextJsonContentSerializer(JsonSerializerOptions.Web)));
        await WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
        Info = await Api.GetInfoAsync();
        Subjects = KnownSubject.Load(subjectsFile, Info.NodeId);
    }

    /// <summary>A node may seed or load its archive after it starts listening: wait for <c>/health/ready</c>.</summary>
    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The node at {Http.BaseAddress} was not ready within {timeout} (last: {(int)response.StatusCode}).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>A client of the same node that sends no token.</summary>
    public HttpClient CreateAnonymousClient() => new() { BaseAddress = Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_reference is not null)
        {
            await _reference.DisposeAsync();
        }

        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }
    }

    /// <summary>The reference node with a small archive in a temporary folder, trusting <paramref name="authority"/>.</summary>
    private sealed class ReferenceNodeFactory(string nodeId, string demoCitizensFile, Uri authority) : WebApplicationFactory<Program>
    {
        private readonly string _dataDirectory = Directory.CreateTempSubdirectory("archives-conformance-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Node:Id", nodeId);
            builder.UseSetting("Node:DivisionCode", nodeId);
            builder.UseSetting("Node:Level", "city");
            builder.UseSetting("Node:NameZh", "杭州市档案馆");
            builder.UseSetting("Node:NameEn", "Hangzhou Municipal Archives");
            builder.UseSetting("Node:Categories", string.Join(',', RecordCategory.All.Select(c => c.Code)));
            builder.UseSetting("Node:Seed", "7");
            builder.UseSetting("Node:CatalogueEntries", "4000");
            builder.UseSetting("Node:PersonalRecords", "1500");
            builder.UseSetting("Node:RetrievalDelay", "00:00:02");
            builder.UseSetting("Node:DataDirectory", _dataDirectory);
            builder.UseSetting("Node:DemoCitizensFile", demoCitizensFile);
            builder.UseSetting("Node:Auth:Authority", authority.AbsoluteUri);
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left to the temp cleaner.
            }
        }
    }
}

/// <summary>A subject known to have records at the node under test, from a demo-citizens file.</summary>
public sealed record KnownSubject(IdNumber IdNumber, string Name, DateOnly BirthDate, IReadOnlyList<KnownRecord> Records)
{
    public static IReadOnlyList<KnownSubject> Load(string path, string nodeId)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var citizens = document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement
            : document.RootElement.GetProperty("subjects");
        var subjects = new List<KnownSubject>();
        foreach (var citizen in citizens.EnumerateArray())
        {
            var records = citizen.GetProperty("records").EnumerateArray()
                .Where(r => r.GetProperty("nodeId").GetString() == nodeId)
                .Select(r => new KnownRecord(
                    RecordCategory.Parse(r.GetProperty("category").GetString()!),
                    r.GetProperty("hasIdNumber").GetBoolean(),
                    r.GetProperty("digitised").GetBoolean()))
                .ToList();
            if (records.Count > 0)
            {
                subjects.Add(new KnownSubject(
                    IdNumber.Parse(citizen.GetProperty("idNumber").GetString()!),
                    citizen.GetProperty("name").GetString()!,
                    DateOnly.Parse(citizen.GetProperty("birthDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                    records));
            }
        }

        return subjects;
    }
}

/// <summary>A record a known subject has at the node.</summary>
public sealed record KnownRecord(RecordCategory Category, bool HasIdNumber, bool Digitised);

[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<NodeUnderTest>
{
    public const string Name = "node under test";
}

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archives.Contracts;
using Archives.Gateway.Audit;
using Archives.Gateway.Tests.Certificates;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Gateway.Tests.Audit;

/// <summary>
/// One gateway (its own ledger directory) over the certificate evidence nodes of Hangzhou and Shanghai and a
/// record-search node in Nanjing holding 陈建国's marriage record; callers with real tokens. Disposed per test,
/// since tests change the log.
/// </summary>
internal sealed class AuditWorld : IAsyncDisposable
{
    public const string NanjingMarriage = "NJ-MAR-1980-0001";

    private readonly List<HttpClient> _clients = [];

    private AuditWorld(EvidenceNode hangzhou, EvidenceNode shanghai, TestNode nanjing, TestData data, GatewayHost gateway)
    {
        Hangzhou = hangzhou;
        Shanghai = shanghai;
        Nanjing = nanjing;
        Data = data;
        Gateway = gateway;
    }

    public EvidenceNode Hangzhou { get; }

    public EvidenceNode Shanghai { get; }

    public TestNode Nanjing { get; }

    public TestData Data { get; }

    public GatewayHost Gateway { get; }

    /// <summary>The ledger file the log lives in.</summary>
    public string LedgerFile => Path.Combine(Data.Path, "ledger.db");

    public static async Task<AuditWorld> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var (hangzhou, shanghai) = await CertificateWorld.StartNodesAsync();
        var nanjing = await TestNode.StartAsync("320100", records: [Marriage()], categories: [RecordCategory.Marriage]);
        var data = new TestData();
        var gateway = GatewayHost.Start([hangzhou, shanghai, nanjing], settings, dataDirectory: data.Path, services: services);
        return new AuditWorld(hangzhou, shanghai, nanjing, data, gateway);
    }

    /// <summary>A client of the gateway acting as <paramref name="clientId"/> with <paramref name="scopes"/>.</summary>
    public HttpClient As(string clientId, params string[] scopes)
    {
        var client = Gateway.ClientAs(clientId, scopes);
        _clients.Add(client);
        return client;
    }

    /// <summary>The operators' client (<c>audit.read</c>).</summary>
    public HttpClient Auditor => Gateway.Operator;

    /// <summary>A personal-record search for 陈建国 in Jiangsu's archives (only Nanjing is asked).</summary>
    public static async Task<HttpResponseMessage> SearchChenAsync(HttpClient client, string? traceParent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/records/search")
        {
            Content = JsonContent.Create(
                new { subject = new { idNumber = CertificateWorld.ChenId, name = "陈建国" }, categories = new[] { "marriage" }, regions = new[] { "32" }, purpose = "办理退休手续" },
                options: JsonSerializerOptions.Web),
        };
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        return await client.SendAsync(request, Ct);
    }

    /// <summary>GET /api/v1/audit as the auditor, optionally for a subject's ID number (in the header).</summary>
    public async Task<JsonArray> EntriesAsync(string query = "", string? subjectIdNumber = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit" + query);
        if (subjectIdNumber is not null)
        {
            request.Headers.Add("Archives-Subject-Id-Number", subjectIdNumber);
        }

        using var response = await Auditor.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.ReadJsonAsync())["entries"]!.AsArray();
    }

    /// <summary>
    /// Every certificate action once: 陈建国's one-child certificate issued by the Hangzhou clerk and replayed, a
    /// record that does not exist asked for, the certificate read, printed, verified on the page and by the API,
    /// and revoked by the operators. Returns the first answer and the certificate's number.
    /// </summary>
    public async Task<(HttpResponseMessage Issued, string Number)> CertificateLifeAsync(HttpClient clerk, HttpClient ops)
    {
        var key = CertificateWorld.NewKey();
        var issued = await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild(), key);
        var certificate = (await issued.ReadJsonAsync())["certificate"]!;
        var number = (string)certificate["number"]!;
        var code = (string)certificate["verificationCode"]!;
        (await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild(), key)).Dispose();
        (await CertificateWorld.PostAsync(clerk, CertificateWorld.Request("330100", "HZ-NOPE-0000", CertificateWorld.ChenId), CertificateWorld.NewKey())).Dispose();
        (await clerk.GetAsync($"/api/v1/certificates/{number}", Ct)).Dispose();
        (await clerk.GetAsync($"/api/v1/certificates/{number}/pdf", Ct)).Dispose();
        (await Gateway.Anonymous.GetAsync($"/verify/{number}?code={code}", Ct)).Dispose();
        (await Gateway.Anonymous.PostAsJsonAsync("/api/v1/certificates/verify", new { number, code }, Ct)).Dispose();
        (await ops.PostAsJsonAsync($"/api/v1/certificates/{number}/revoke", new { reason = $"申请人 {CertificateWorld.ChenId} 撤回" }, Ct)).Dispose();
        return (issued, number);
    }

    public async Task<JsonNode> VerifyAsync()
    {
        using var response = await Auditor.GetAsync("/api/v1/audit/verify", Ct);
        response.EnsureSuccessStatusCode();
        return await response.ReadJsonAsync();
    }

    /// <summary>Runs SQL on the ledger file directly, as someone with access to the database would.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={LedgerFile};Default Timeout=30;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>The documented subject key of an ID number (HMAC-SHA256 of "id-number\n{number}" under the dev key), computed here independently.</summary>
    public static string SubjectKeyOf(string idNumber)
        => Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(AuditOptions.DevSubjectKey), Encoding.UTF8.GetBytes($"id-number\n{idNumber}")));

    /// <summary>The documented canonical form and hash of an entry as the API shows it, computed here independently of the gateway's code.</summary>
    public static string HashOf(JsonNode entry)
    {
        static string Line(string name, string? value) => value is null ? $"{name}=-\n" : $"{name}={Encoding.UTF8.GetByteCount(value)}:{value}\n";
        string? S(string property) => (string?)entry[property];
        var nodes = entry["nodes"]!.AsArray().Select(n => (string)n!).ToList();
        var text = "archives-audit/1\n"
            + Line("sequence", ((long)entry["sequence"]!).ToString(System.Globalization.CultureInfo.InvariantCulture))
            + Line("at", S("at")) + Line("action", S("action")) + Line("client", S("clientId")) + Line("clerk", S("clerkId"))
            + Line("clerk-name", S("clerkName")) + Line("hall", S("hall")) + Line("subject-id", S("subjectId"))
            + Line("subject-name-birth", S("subjectNameBirth")) + Line("purpose", S("purpose"))
            + Line("nodes", nodes.Count == 0 ? null : string.Join(',', nodes)) + Line("outcome", S("outcome"))
            + Line("reference", S("reference")) + Line("trace", S("traceId")) + Line("previous", S("previousHash"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Gateway.DisposeAsync();
        await Hangzhou.DisposeAsync();
        await Shanghai.DisposeAsync();
        await Nanjing.DisposeAsync();
        await Data.DisposeAsync();
    }

    private static TestRecord Marriage() => new(
        new RecordMatch
        {
            RecordId = NanjingMarriage,
            Category = RecordCategory.Marriage,
            ArchivalReference = ArchivalReference.Parse("J012-HY·1980-0034-0007"),
            Title = "1980年结婚登记",
            EventDate = new DateOnly(1980, 3, 1),
            SubjectName = "陈建国",
            MaskedIdNumber = IdNumber.Mask(CertificateWorld.ChenId),
            Match = MatchKind.Exact,
            Digitised = true,
        },
        CertificateWorld.ChenId,
        new DateOnly(1955, 3, 12));
}

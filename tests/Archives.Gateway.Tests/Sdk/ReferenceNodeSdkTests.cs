using System.Net;
using System.Text.RegularExpressions;
using Archives.Contracts;
using Archives.Gateway.Tests.Certificates;
using Archives.Gateway.Tests.Fixtures;
using Archives.Testing;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace Archives.Gateway.Tests.Sdk;

/// <summary>
/// End to end, with no test double: the SDK as 浙里办 uses it, the real gateway, the real identity server and
/// two real reference nodes (<c>src/Archives.Node</c> processes: Hangzhou, and Shanghai as a partner archive),
/// seeded with the demo citizens of gateway-config/local/demo-citizens.json. 王丽华's marriage record is held
/// in Shanghai.
/// </summary>
public sealed partial class ReferenceNodeSdkTests(ReferenceNodeWorld world) : IClassFixture<ReferenceNodeWorld>
{
    [GeneratedRegex(@"https?://\S+?/verify/[0-9]{6}-[0-9]{8}-[0-9A-Z]{6}")]
    private static partial Regex VerifyLink();

    [Fact]
    public async Task Catalogue_InRegion31_AnswersFromTheShanghaiNode()
    {
        await using var app = SdkWorld.App(world.Gateway.Address, "zheliban");
        var gateway = app.GetRequiredService<IArchivesGatewayApi>();

        var nodes = await gateway.ListNodesAsync(Ct);
        var everywhere = await gateway.SearchCatalogueAsync(new GatewayCatalogueQuery { Q = "婚姻", Limit = 10 }, Ct);
        var shanghai = await gateway.SearchCatalogueAsync(new GatewayCatalogueQuery { Q = "婚姻", Region = "31", Limit = 5 }, Ct);

        Assert.Equal(["310000", "330100"], nodes.Nodes.Select(n => n.NodeId).Order(StringComparer.Ordinal));
        Assert.All(everywhere.Nodes, n => Assert.Equal(NodeStatus.Ok, n.Status));
        Assert.Equal(["310000", "330100"], everywhere.Nodes.Select(n => n.NodeId).Order(StringComparer.Ordinal));
        Assert.False(everywhere.Partial);
        var outcome = Assert.Single(shanghai.Nodes);
        Assert.Equal(("310000", NodeStatus.Ok), (outcome.NodeId, outcome.Status));
        Assert.NotEmpty(shanghai.Entries);
        Assert.All(shanghai.Entries, e => Assert.Equal("310000", e.NodeId));
    }

    [Fact]
    public async Task GovernmentApp_CertifiesARecordOfAPartnerArchive_PrintsVerifiesRevokes_AndTheAuditLogHoldsIt()
    {
        var lost = new LoseResponses(r => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath == "/api/v1/certificates", losses: 1);
        await using var app = SdkWorld.App(world.Gateway.Address, "zheliban", configure: client => client.AddHttpMessageHandler(() => lost));
        await using var operations = SdkWorld.App(world.Gateway.Address, "ops", ["certificates.revoke"]);
        using var auditor = world.Gateway.ClientFor(Callers.Operator());
        var gateway = app.GetRequiredService<IArchivesGatewayApi>();

        // 王丽华's records in Shanghai's archive, as the app finds them.
        var found = await gateway.SearchRecordsAsync(new FederatedRecordSearchRequest
        {
            Subject = new Subject { IdNumber = IdNumber.Parse(CertificateWorld.WangId), Name = "王丽华" },
            Categories = [RecordCategory.Marriage],
            Regions = [RegionPrefix.Parse("31")],
            Purpose = "办理退休手续",
        }, Ct);
        var record = Assert.Single(found.Records);
        Assert.Equal(("310000", "上海市档案馆", MatchKind.Exact, true), (record.NodeId, record.NodeNameZh, record.Match, record.Digitised));
        Assert.Equal("310104********2460", record.MaskedIdNumber);
        Assert.Equal(NodeStatus.Ok, Assert.Single(found.Nodes).Status);

        // Issued once: the first answer is lost on the way back and the SDK retries with the same key;
        // then the app itself retries with that key.
        var key = CertificateWorld.NewKey();
        var request = CertificateWorld.Request("310000", record.RecordId, CertificateWorld.WangId) with
        {
            IssuedVia = new CertificateChannel { Kind = IssuingChannelKind.Online, Name = "浙里办" },
        };
        using var issued = await gateway.IssueAsync(key, request, Ct);
        using var again = await gateway.IssueAsync(key, request, Ct);
        var certificate = issued.Content!.Certificate;
        var number = certificate.Number;

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(number, again.Content!.Certificate.Number);
        Assert.Equal("true", again.Headers!.GetValues("Idempotent-Replayed").Single());
        var attempts = lost.Attempts.Where(a => a.Path == "/api/v1/certificates").ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(key, a.IdempotencyKey));
        Assert.StartsWith("310000-", number, StringComparison.Ordinal);
        Assert.Equal("上海市档案馆", certificate.HoldingArchive.NameZh);

        // The printed certificate, in Chinese, with its verification link and code.
        using var pdfContent = await gateway.GetPdfAsync(number, Ct);
        using var pdf = PdfDocument.Open(await pdfContent.ReadAsByteArrayAsync(Ct));
        var text = Assert.Single(pdf.GetPages()).Text;
        Assert.Contains("档案查询证明", text, StringComparison.Ordinal);
        Assert.Contains(number, text, StringComparison.Ordinal);
        Assert.Contains("上海市档案馆", text, StringComparison.Ordinal);
        Assert.Contains("王丽华", text, StringComparison.Ordinal);
        Assert.Contains($"核验码：{certificate.VerificationCode}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(CertificateWorld.WangId, text, StringComparison.Ordinal);

        // Note: the QR code is not decoded (no decoder here); the page it points to is the link printed
        // beneath it, opened with the code printed beside it, as someone without a scanner would. The
        // link is on the public address; the test stands in for the proxy there and sends its path to the gateway.
        var link = VerifyLink().Match(text);
        Assert.True(link.Success, "The PDF prints no verification link.");
        Assert.StartsWith(ReferenceNodeWorld.PublicAddress + "verify/", link.Value, StringComparison.Ordinal);
        var pageAddress = $"{new Uri(link.Value).AbsolutePath}?code={Uri.EscapeDataString(certificate.VerificationCode)}";
        var verification = new CertificateVerificationRequest { Number = number, Code = certificate.VerificationCode };

        var validPage = await world.Gateway.Anonymous.GetStringAsync(pageAddress, Ct);
        var valid = await gateway.VerifyAsync(verification, Ct);
        var revoked = await operations.GetRequiredService<ICertificatesApi>().RevokeAsync(
            number, new CertificateRevocationRequest { Reason = "申请人所填用途有误，撤销后重新出具" }, Ct);
        var afterRevocation = await gateway.VerifyAsync(verification, Ct);
        var revokedPage = await world.Gateway.Anonymous.GetStringAsync(pageAddress, Ct);

        Assert.Equal(CertificateStatus.Valid, valid.Status);
        Assert.Contains("data-status=\"valid\"", validPage, StringComparison.Ordinal);
        Assert.Contains("证明有效", validPage, StringComparison.Ordinal);
        Assert.Contains(number, validPage, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.Revoked, revoked.Status);
        Assert.Equal(CertificateStatus.Revoked, afterRevocation.Status);
        Assert.Equal("申请人所填用途有误，撤销后重新出具", afterRevocation.Revocation!.Reason);
        Assert.Contains("data-status=\"revoked\"", revokedPage, StringComparison.Ordinal);
        Assert.Contains("证明已撤销", revokedPage, StringComparison.Ordinal);

        // The audit log (档案利用登记): the search under the subject, every step of the certificate under its number.
        using var bySubject = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit?limit=500");
        bySubject.Headers.Add("Archives-Subject-Id-Number", CertificateWorld.WangId);
        using var subjectAnswer = await auditor.SendAsync(bySubject, Ct);
        var subjectActions = (await subjectAnswer.ReadJsonAsync())["entries"]!.AsArray().Select(e => (string)e!["action"]!).ToHashSet();
        var (_, log) = await auditor.GetJsonAsync("/api/v1/audit?limit=500");
        var entries = log["entries"]!.AsArray().Select(e => (Action: (string)e!["action"]!, Reference: (string?)e["reference"])).ToList();
        var (_, chain) = await auditor.GetJsonAsync("/api/v1/audit/verify");

        Assert.Equal(HttpStatusCode.OK, subjectAnswer.StatusCode);
        Assert.Contains("records.search", subjectActions);
        Assert.Contains(("records.read", (string?)$"310000/{record.RecordId}"), entries);
        var ofCertificate = entries.Where(e => e.Reference == number).Select(e => e.Action).ToHashSet();
        Assert.Superset(new HashSet<string> { "certificates.issue", "certificates.replay", "certificates.print", "certificates.verify", "certificates.revoke" }, ofCertificate);
        Assert.True((bool)chain["ok"]!, chain.ToJsonString());
    }
}

/// <summary>
/// Two real reference nodes (Hangzhou 330100 and Shanghai 310000, as gateway-config/local/nodes.json
/// describes them) started together as processes, and the real gateway over a registry naming them.
/// </summary>
public sealed class ReferenceNodeWorld(IdentityServerFixture identity) : IAsyncLifetime
{
    /// <summary>Where the public reaches the gateway, printed on certificates (appsettings.Development.json has the local federation's).</summary>
    public const string PublicAddress = "https://dangan.example.gov.cn/";

    private readonly string _registryPath = RegistryFileWriter.NewPath();

    private IReadOnlyList<ReferenceNode> _nodes = [];

    public GatewayHost Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _nodes = await ReferenceNode.StartAllAsync(identity, ["330100", "310000"]);
        // The local registry's clusters of these nodes (health checks, metadata), at the nodes' addresses.
        ReferenceNode.WriteRegistry(_registryPath, _nodes);
        Gateway = GatewayHost.Start([], new Dictionary<string, string?> { ["Gateway:Certificates:PublicBaseUrl"] = PublicAddress }, registryPath: _registryPath);
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        Directory.Delete(Path.GetDirectoryName(_registryPath)!, recursive: true);
    }
}

using System.Net;
using System.Net.Http.Json;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Certificates;
using Archives.Gateway.Ledger;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>Who may read, print and revoke a certificate; everyone else sees 404, as for a number that does not exist.</summary>
public sealed class AccessTests(CertificateWorld world) : IClassFixture<CertificateWorld>
{
    public static TheoryData<string, HttpStatusCode> Readers => new()
    {
        { "issuing-clerk", HttpStatusCode.OK },
        { "other-hall-clerk", HttpStatusCode.NotFound },
        { "other-client", HttpStatusCode.NotFound },
        { "auditor", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Read_OnlyIssuingClientSameHallOrAuditor(string who, HttpStatusCode expected)
    {
        var number = await IssueAsync();
        var caller = who switch
        {
            "issuing-clerk" => Callers.HangzhouClerk(),
            "other-hall-clerk" => Callers.NingboClerk(),
            "other-client" => Callers.Zheliban(),
            _ => Callers.Operator(),
        };
        using var client = world.Gateway.ClientFor(caller);

        using var read = await client.GetAsync($"/api/v1/certificates/{number}", Ct);
        using var pdf = await client.GetAsync($"/api/v1/certificates/{number}/pdf", Ct);

        Assert.Equal(expected, read.StatusCode);
        Assert.Equal(expected, pdf.StatusCode);
    }

    /// <summary>The rules themselves, for callers the demo identity configuration has no token for (a second clerk of a hall, a read-only partner).</summary>
    [Fact]
    public void MayRead_IssuingClientInItsHall_ReadersOfTheSameHall_Auditors()
    {
        var entry = new CertificateEntry
        {
            Number = "330100-20260101-ABCDEF", ClientId = "service-hall", IdempotencyKey = "k", Fingerprint = "f", Hall = "330100",
            NodeId = "330100", VerificationCode = "ABCDEFGH", PayloadJson = "{}", Jws = "x", KeyId = "k",
        };
        var readOnly = new HashSet<string> { GatewayScopes.CertificatesRead };

        Assert.True(CertificatesApi.MayRead(Callers.HangzhouClerk("clerk-hz-02"), entry));
        Assert.True(CertificatesApi.MayRead(Callers.Partner("partner-shanghai") with { Hall = DivisionCode.Parse("330100"), Scopes = readOnly }, entry));
        Assert.False(CertificatesApi.MayRead(Callers.Partner("partner-shanghai") with { Scopes = readOnly }, entry));
        Assert.False(CertificatesApi.MayRead(Callers.NingboClerk(), entry));
        Assert.True(CertificatesApi.MayRead(Callers.Operator() with { Scopes = new HashSet<string> { GatewayScopes.AuditRead } }, entry));
        Assert.False(CertificatesApi.MayRead(Callers.HangzhouClerk() with { Scopes = new HashSet<string> { GatewayScopes.RecordsSearch } }, entry));
    }

    [Fact]
    public async Task Read_Anonymous_Returns401()
    {
        var number = await IssueAsync();

        using var response = await world.Gateway.Anonymous.GetAsync($"/api/v1/certificates/{number}", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Revoke_WithoutTheScope_Returns403_AndTheCertificateStaysValid()
    {
        var number = await IssueAsync();
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());

        using var response = await clerk.PostAsJsonAsync($"/api/v1/certificates/{number}/revoke", new { reason = "误开" }, Ct);
        var (_, after) = await clerk.GetJsonAsync($"/api/v1/certificates/{number}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("valid", (string)after["status"]!);
    }

    [Fact]
    public async Task Revoke_Twice_KeepsTheFirstReason()
    {
        var number = await IssueAsync();
        using var ops = world.Gateway.ClientFor(Callers.Operator());

        using var first = await ops.PostAsJsonAsync($"/api/v1/certificates/{number}/revoke", new { reason = "第一次" }, Ct);
        using var second = await ops.PostAsJsonAsync($"/api/v1/certificates/{number}/revoke", new { reason = "第二次" }, Ct);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("第一次", (string)(await second.ReadJsonAsync())["revocation"]!["reason"]!);
    }

    [Fact]
    public async Task Revoke_UnknownNumber_Returns404()
    {
        using var ops = world.Gateway.ClientFor(Callers.Operator());

        using var response = await ops.PostAsJsonAsync("/api/v1/certificates/330100-20260101-ABCDEF/revoke", new { reason = "x" }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> IssueAsync()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.ReadJsonAsync())["certificate"]!["number"]!;
    }
}

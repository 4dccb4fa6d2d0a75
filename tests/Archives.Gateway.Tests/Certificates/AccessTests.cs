using System.Net;
using System.Net.Http.Json;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>Who may read, print and revoke a certificate; everyone else sees 404, as for a number that does not exist.</summary>
public sealed class AccessTests(CertificateWorld world) : IClassFixture<CertificateWorld>
{
    private static Caller ClerkWithRead(string hall, string clerkId) => Callers.HangzhouClerk(clerkId) with { Hall = DivisionCode.Parse(hall) };

    public static TheoryData<string, HttpStatusCode> Readers => new()
    {
        { "issuing-clerk", HttpStatusCode.OK },
        { "same-hall-clerk", HttpStatusCode.OK },
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
            "same-hall-clerk" => ClerkWithRead("330100", "clerk-hz-02"),
            "other-hall-clerk" => ClerkWithRead("330200", "clerk-nb-01"),
            "other-client" => Callers.Zheliban(),
            _ => Callers.Operator(),
        };
        using var client = world.Gateway.ClientFor(caller);

        using var read = await client.GetAsync($"/api/v1/certificates/{number}", Ct);
        using var pdf = await client.GetAsync($"/api/v1/certificates/{number}/pdf", Ct);

        Assert.Equal(expected, read.StatusCode);
        Assert.Equal(expected, pdf.StatusCode);
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

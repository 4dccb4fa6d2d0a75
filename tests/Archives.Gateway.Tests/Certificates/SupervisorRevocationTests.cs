using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Archives.Gateway.Access;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>
/// At a hall only a supervisor (值班长) revokes: a clerk token needs <c>certificates.revoke</c> and <c>archives_role</c>
/// supervisor. Real clerk tokens from the service hall's code flow (gateway-config/local/clerks.json: hz-clerk, hz-supervisor).
/// </summary>
public sealed class SupervisorRevocationTests
{
    private static readonly string[] HallScopes = ["openid", "profile", "certificates.issue", "certificates.read", "certificates.revoke"];

    [Fact]
    public async Task Supervisor_RevokesAHallsCertificate_AnOrdinaryClerkGets403SayingASupervisorIsNeeded()
    {
        await using var world = await OwnCertificateWorld.StartAsync();
        using var clerk = await ClerkAsync(world, "hz-clerk");
        using var supervisor = await ClerkAsync(world, "hz-supervisor");
        var number = await IssueAsync(clerk);

        using var refused = await clerk.PostAsJsonAsync($"/api/v1/certificates/{number}/revoke", new { reason = "用途填写错误" }, Ct);
        var problem = await refused.ReadJsonAsync();
        var (_, afterRefusal) = await clerk.GetJsonAsync($"/api/v1/certificates/{number}");
        using var revoked = await supervisor.PostAsJsonAsync($"/api/v1/certificates/{number}/revoke", new { reason = "用途填写错误" }, Ct);
        var (_, afterRevocation) = await clerk.GetJsonAsync($"/api/v1/certificates/{number}");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("A supervisor is needed", (string?)problem["title"]);
        Assert.Contains("supervisor", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal("valid", (string)afterRefusal["status"]!);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("revoked", (string)afterRevocation["status"]!);
        Assert.Equal("用途填写错误", (string)afterRevocation["revocation"]!["reason"]!);
    }

    [Fact]
    public async Task Supervisor_OfAnotherHall_DoesNotSeeTheCertificate_404()
    {
        await using var world = await OwnCertificateWorld.StartAsync();
        using var ningbo = world.Gateway.ClientFor(Callers.NingboClerk());
        using var supervisor = await ClerkAsync(world, "hz-supervisor");
        var number = await IssueAsync(ningbo, CertificateWorld.ChenOneChild() with
        {
            IssuedVia = new Archives.Contracts.CertificateChannel { Kind = Archives.Contracts.IssuingChannelKind.Hall, Hall = Archives.Contracts.DivisionCode.Parse("330200"), Name = "宁波市民中心" },
        });

        using var response = await supervisor.PostAsJsonAsync($"/api/v1/certificates/{number}/revoke", new { reason = "x" }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Caller_RoleCountsOnlyForAClerk_AndSupervisorMeansTheSupervisorRole()
    {
        static Caller Of(params (string Type, string Value)[] claims)
            => Caller.From(new ClaimsPrincipal(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Bearer")))!;

        var supervisor = Of(("client_id", "service-hall"), ("sub", "c1"), ("hall", "330100"), ("archives_role", "supervisor"), ("scope", "certificates.revoke"));
        var clerk = Of(("client_id", "service-hall"), ("sub", "c2"), ("hall", "330100"), ("scope", "certificates.revoke"));
        var otherRole = Of(("client_id", "service-hall"), ("sub", "c3"), ("hall", "330100"), ("archives_role", "Supervisor"));
        var machine = Of(("client_id", "ops"), ("sub", "ops"), ("archives_role", "supervisor"));

        Assert.True(supervisor.IsSupervisor);
        Assert.False(clerk.IsSupervisor);
        Assert.False(otherRole.IsSupervisor);
        Assert.Null(machine.Role);
        Assert.False(machine.IsSupervisor);
    }

    private static async Task<HttpClient> ClerkAsync(OwnCertificateWorld world, string userName)
    {
        var client = new HttpClient { BaseAddress = world.Gateway.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Identity.GetClerkTokenAsync(userName, HallScopes, Ct));
        return client;
    }

    private static async Task<string> IssueAsync(HttpClient client, Archives.Contracts.CertificateRequest? request = null)
    {
        using var response = await CertificateWorld.PostAsync(client, request ?? CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.ReadJsonAsync())["certificate"]!["number"]!;
    }
}

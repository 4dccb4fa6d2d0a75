using System.Net;
using Archives.Gateway.Audit;
using Archives.Gateway.Tests.Certificates;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Tests.Audit;

/// <summary>Who may read the log, bad filters, and the subject key's start-up rules.</summary>
public sealed class AuditApiTests
{
    [Theory]
    [InlineData("/api/v1/audit")]
    [InlineData("/api/v1/audit/verify")]
    public async Task AuditEndpoints_NeedAuditRead(string path)
    {
        await using var world = await AuditWorld.StartAsync();
        var zheliban = world.As("zheliban", "records.search", "certificates.read");

        using var anonymous = await world.Gateway.Anonymous.GetAsync(path, Ct);
        using var forbidden = await zheliban.GetAsync(path, Ct);
        using var auditor = await world.Auditor.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.Contains("scope=\"audit.read\"", Assert.Single(forbidden.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, auditor.StatusCode);
        Assert.Equal("no-store", auditor.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?to=2026-13-01", "to")]
    [InlineData("?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z", "to")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=100000", "limit")]
    [InlineData("?cursor=abc", "cursor")]
    [InlineData("?action=records.delete", "action")]
    [InlineData("?client=a&client=b", "client")]
    [InlineData("?idNumber=330106195503121238", "idNumber")]
    public async Task BadFilter_Is400_NamingTheField(string query, string field)
    {
        await using var world = await AuditWorld.StartAsync();

        using var response = await world.Auditor.GetAsync("/api/v1/audit" + query, Ct);
        var body = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(body["errors"]![field]);
        Assert.DoesNotContain(CertificateWorld.ChenId, body.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("330106195503121239")] // wrong check character
    [InlineData("33010619550312")]
    public async Task BadSubjectHeader_Is400_NamingTheHeader_WithoutRepeatingIt(string idNumber)
    {
        await using var world = await AuditWorld.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit");
        request.Headers.Add("Archives-Subject-Id-Number", idNumber);

        using var response = await world.Auditor.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Archives-Subject-Id-Number", text, StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubjectByNameAndBirthDate_InHeaders_FindsTheSearch()
    {
        await using var world = await AuditWorld.StartAsync();
        (await AuditWorld.SearchChenAsync(world.As("zheliban", "records.search"))).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit");
        request.Headers.Add("Archives-Subject-Name", Uri.EscapeDataString("陈建国"));
        request.Headers.Add("Archives-Subject-Birth-Date", "1955-03-12");
        using var other = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit");
        other.Headers.Add("Archives-Subject-Name", Uri.EscapeDataString("陈建国"));
        other.Headers.Add("Archives-Subject-Birth-Date", "1955-03-13");

        var found = (await (await world.Auditor.SendAsync(request, Ct)).ReadJsonAsync())["entries"]!.AsArray();
        var none = (await (await world.Auditor.SendAsync(other, Ct)).ReadJsonAsync())["entries"]!.AsArray();

        Assert.Equal("records.search", (string?)Assert.Single(found)!["action"]);
        Assert.Empty(none);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(AuditOptions.DevSubjectKey)]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64!")]
    public void SubjectKey_OutsideDevelopment_MustBeARealKey(string? key)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = GatewayContentRoot, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Audit:SubjectKey"] = key });
        builder.AddAudit();
        using var app = builder.Build();

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Gateway:Audit:SubjectKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubjectKey_OutsideDevelopment_ARealKeyIsAccepted()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = GatewayContentRoot, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Audit:SubjectKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 7 + 1)).ToArray()) });
        builder.AddAudit();
        using var app = builder.Build();

        app.Services.GetRequiredService<IStartupValidator>().Validate();
    }
}

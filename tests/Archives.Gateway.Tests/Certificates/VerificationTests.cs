using System.Net;
using System.Net.Http.Json;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Certificates;

public sealed class VerificationTests(CertificateWorld world) : IClassFixture<CertificateWorld>
{
    [Fact]
    public async Task Page_ValidCertificate_SaysSoInChineseWithAMaskedSummary()
    {
        var (number, code) = await IssueAsync();

        using var response = await world.Gateway.Anonymous.GetAsync($"/verify/{number}?code={code}", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("证明有效", html);
        Assert.Contains("data-status=\"valid\"", html);
        Assert.Contains("杭州市档案馆", html);
        Assert.Contains("陈*国", html);
        Assert.Contains("330106********1238", html);
        Assert.DoesNotContain("陈建国", html);
        Assert.DoesNotContain("独生子女父母光荣证", html);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Page_English_WithLangEn()
    {
        var (number, code) = await IssueAsync();

        var html = await world.Gateway.Anonymous.GetStringAsync($"/verify/{number}?code={code}&lang=en", Ct);

        Assert.Contains("This certificate is valid", html);
        Assert.Contains("Hangzhou Municipal Archives", html);
    }

    [Fact]
    public async Task WrongCode_LooksExactlyLikeAnUnknownNumber()
    {
        var (number, _) = await IssueAsync();
        var unknown = number[..^6] + "ZZZZZZ";

        var (_, wrongCode) = await SignatureTests.VerifyAsync(world.Gateway.Anonymous, new { number, code = "ABCDEFGH" });
        var (_, unknownNumber) = await SignatureTests.VerifyAsync(world.Gateway.Anonymous, new { number = unknown, code = "ABCDEFGH" });
        var wrongPage = await world.Gateway.Anonymous.GetStringAsync($"/verify/{number}?code=ABCDEFGH", Ct);
        var unknownPage = await world.Gateway.Anonymous.GetStringAsync($"/verify/{unknown}?code=ABCDEFGH", Ct);

        Assert.Equal("""{"status":"unknown"}""", wrongCode.ToJsonString());
        Assert.Equal(unknownNumber.ToJsonString(), wrongCode.ToJsonString());
        Assert.Equal(unknownPage.Replace(unknown, number, StringComparison.Ordinal), wrongPage);
        Assert.Contains("data-status=\"unknown\"", wrongPage);
    }

    [Fact]
    public async Task Revoked_ShowsAtOnceOnThePageAndTheApi_WithDateAndReason()
    {
        var (number, code) = await IssueAsync();
        using var ops = world.Gateway.ClientFor(Callers.Operator());

        using var revoke = await ops.PostAsJsonAsync($"/api/v1/certificates/{number}/revoke", new { reason = "申请人提供材料不实" }, Ct);
        var html = await world.Gateway.Anonymous.GetStringAsync($"/verify/{number}?code={code}", Ct);
        var (_, api) = await SignatureTests.VerifyAsync(world.Gateway.Anonymous, new { number, code });

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("revoked", (string)(await revoke.ReadJsonAsync())["status"]!);
        Assert.Contains("证明已撤销", html);
        Assert.Contains("申请人提供材料不实", html);
        Assert.Contains("撤销时间", html);
        Assert.Equal("revoked", (string)api["status"]!);
        Assert.Equal("申请人提供材料不实", (string)api["revocation"]!["reason"]!);
    }

    [Fact]
    public async Task Verify_NeitherJwsNorNumber_Returns400NamingTheField()
    {
        using var response = await world.Gateway.Anonymous.PostAsJsonAsync("/api/v1/certificates/verify", new { code = "ABCDEFGH" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["errors"]!["number"]);
    }

    [Fact]
    public async Task Verification_IsRateLimitedPerClientAddress()
    {
        await using var own = await OwnCertificateWorld.StartAsync(new Dictionary<string, string?> { ["Gateway:RateLimits:Verification:PermitLimit"] = "3", ["Gateway:RateLimits:Verification:Window"] = "00:10:00" });
        var gateway = own.Gateway;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Anonymous.GetAsync($"/verify/330100-20260101-ABCDEF?code=ABCDEFG{i + 2}", Ct);
            statuses.Add(response.StatusCode);
        }

        using var api = await gateway.Anonymous.PostAsJsonAsync("/api/v1/certificates/verify", new { number = "330100-20260101-ABCDEF", code = "ABCDEFGH" }, Ct);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
    }

    private async Task<(string Number, string Code)> IssueAsync()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
        var certificate = (await response.ReadJsonAsync())["certificate"]!;
        return ((string)certificate["number"]!, (string)certificate["verificationCode"]!);
    }
}

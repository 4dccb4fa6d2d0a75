using System.Net;
using Archives.Gateway.Tests.Fixtures;
using UglyToad.PdfPig;

namespace Archives.Gateway.Tests.Certificates;

public sealed class PdfTests(CertificateWorld world) : IClassFixture<CertificateWorld>
{
    [Fact]
    public async Task Pdf_IsA4WithExtractableChineseFields_AndEveryPrintIsCounted()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var issued = await CertificateWorld.PostAsync(client, CertificateWorld.WangMarriage(), CertificateWorld.NewKey());
        var body = await issued.ReadJsonAsync();
        var number = (string)body["certificate"]!["number"]!;

        using var first = await client.GetAsync($"/api/v1/certificates/{number}/pdf", Ct);
        using var second = await client.GetAsync($"/api/v1/certificates/{number}/pdf", Ct);
        var (_, after) = await client.GetJsonAsync($"/api/v1/certificates/{number}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/pdf", first.Content.Headers.ContentType!.MediaType);
        var bytes = await first.Content.ReadAsByteArrayAsync(Ct);
        using var pdf = PdfDocument.Open(bytes);
        var page = Assert.Single(pdf.GetPages());
        Assert.InRange(page.Width, 594, 596);
        Assert.InRange(page.Height, 841, 843);
        var text = page.Text;
        Assert.Contains("档案查询证明", text);
        Assert.Contains("上海市档案馆", text);
        Assert.Contains(number, text);
        Assert.Contains("王丽华", text);
        Assert.Contains("310104********2460", text);
        Assert.Contains("B168-HY·1993-0215-0031", text);
        Assert.Contains("办理退休手续", text);
        Assert.Contains((string)body["keyId"]!, text);
        Assert.Contains((string)body["certificate"]!["verificationCode"]!, text);
        Assert.DoesNotContain(CertificateWorld.WangId, text);
        Assert.Equal(2, (int)after["printCount"]!);
        Assert.NotNull(after["lastPrintedAt"]);
    }

    [Fact]
    public async Task Pdf_QrCode_DecodesToTheVerificationPage_WhichSaysValid()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var issued = await CertificateWorld.PostAsync(client, CertificateWorld.WangMarriage(), CertificateWorld.NewKey());
        var certificate = (await issued.ReadJsonAsync())["certificate"]!;
        var number = (string)certificate["number"]!;
        var code = (string)certificate["verificationCode"]!;
        using var response = await client.GetAsync($"/api/v1/certificates/{number}/pdf", Ct);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync(Ct));

        var scanned = new Uri(PrintedQrCode.Decode(pdf.GetPage(1)));
        // The printed address is the configured public one (Certificates:PublicBaseUrl); the page is this gateway's.
        using var page = await world.Gateway.Anonymous.GetAsync(scanned.PathAndQuery, Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Equal($"/verify/{number}", scanned.AbsolutePath);
        Assert.Equal($"?code={code}", scanned.Query);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("证明有效", html, StringComparison.Ordinal);
        Assert.Contains(number, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pdf_FontMissing_Answers503NamingTheSetting_AndIssuingStillWorks()
    {
        await using var own = await OwnCertificateWorld.StartAsync(new Dictionary<string, string?> { ["Gateway:Certificates:FontFile"] = "/nonexistent/font.ttc" });
        var gateway = own.Gateway;
        using var client = gateway.ClientFor(Callers.HangzhouClerk());

        using var issued = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
        var number = (string)(await issued.ReadJsonAsync())["certificate"]!["number"]!;
        using var pdf = await client.GetAsync($"/api/v1/certificates/{number}/pdf", Ct);
        using var ready = await gateway.Anonymous.GetAsync("/health/ready", Ct);

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pdf.StatusCode);
        Assert.Equal("application/problem+json", pdf.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Gateway:Certificates:FontFile", (string)(await pdf.ReadJsonAsync())["detail"]!);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}

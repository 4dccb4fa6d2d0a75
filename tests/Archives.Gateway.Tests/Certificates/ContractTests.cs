using System.Net;
using System.Text.Json;
using Archives.Contracts;
using Archives.Gateway.Tests.Fixtures;
using Refit;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>The contract's Refit interface against the real gateway, so client and server cannot drift.</summary>
public sealed class ContractTests(CertificateWorld world) : IClassFixture<CertificateWorld>
{
    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    [Fact]
    public async Task RefitClient_IssuesReplaysReadsPrintsRevokesAndVerifies()
    {
        using var clerkHttp = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var opsHttp = world.Gateway.ClientFor(Callers.Operator());
        var clerk = RestService.For<ICertificatesApi>(clerkHttp, Settings);
        var ops = RestService.For<ICertificatesApi>(opsHttp, Settings);
        var anyone = RestService.For<ICertificatesApi>(world.Gateway.Anonymous, Settings);
        var key = Guid.NewGuid().ToString();

        using var issued = await clerk.IssueAsync(key, CertificateWorld.WangMarriage(), Ct);
        using var replayed = await clerk.IssueAsync(key, CertificateWorld.WangMarriage(), Ct);
        var certificate = issued.Content!.Certificate;
        var read = await clerk.GetAsync(certificate.Number, Ct);
        using var pdf = await clerk.GetPdfAsync(certificate.Number, Ct);
        var valid = await anyone.VerifyAsync(new CertificateVerificationRequest { Number = certificate.Number, Code = certificate.VerificationCode }, Ct);
        var revoked = await ops.RevokeAsync(certificate.Number, new CertificateRevocationRequest { Reason = "测试撤销" }, Ct);
        var byJws = await anyone.VerifyAsync(new CertificateVerificationRequest { Jws = issued.Content!.Jws }, Ct);

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal("true", replayed.Headers!.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(certificate.Number, replayed.Content!.Certificate.Number);
        Assert.Equal(DivisionCode.Parse("310000"), certificate.HoldingArchive.DivisionCode);
        Assert.Equal(RecordCategory.Marriage, certificate.Record.Category);
        Assert.Equal(MannerOfUse.Certify, certificate.Use);
        Assert.Equal(issued.Content!.Jws, read.Jws);
        Assert.Equal("application/pdf", pdf.Headers.ContentType!.MediaType);
        Assert.Equal(CertificateStatus.Valid, valid.Status);
        Assert.Equal("王*华", valid.Certificate!.MaskedSubjectName);
        Assert.Equal(CertificateStatus.Revoked, revoked.Status);
        Assert.Equal(CertificateStatus.Revoked, byJws.Status);
        Assert.Equal("测试撤销", byJws.Revocation!.Reason);
    }
}

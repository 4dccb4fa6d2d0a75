using System.Net;
using System.Text.RegularExpressions;
using Archives.Contracts;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Certificates;

public sealed partial class IssueTests(CertificateWorld world) : IClassFixture<CertificateWorld>
{
    [GeneratedRegex("^330100-[0-9]{8}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$")]
    private static partial Regex HangzhouNumber();

    [GeneratedRegex("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$")]
    private static partial Regex Code();

    [Fact]
    public async Task Issue_ExactRecord_Returns201WithSignedCertificateAndMaskedId()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());

        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var certificate = body["certificate"]!;
        var number = (string)certificate["number"]!;
        Assert.Matches(HangzhouNumber(), number);
        Assert.Equal($"/api/v1/certificates/{number}", response.Headers.Location!.OriginalString);
        Assert.Matches(Code(), (string)certificate["verificationCode"]!);
        Assert.Equal("330106********1238", (string)certificate["subject"]!["maskedIdNumber"]!);
        Assert.Equal("陈建国", (string)certificate["subject"]!["name"]!);
        Assert.Equal("杭州市档案馆", (string)certificate["holdingArchive"]!["nameZh"]!);
        Assert.Equal("J045-DS·1986-0012-0003", (string)certificate["record"]!["archivalReference"]!);
        Assert.Equal("办理退休手续", (string)certificate["purpose"]!);
        Assert.Equal("330100", (string)certificate["issuer"]!["channel"]!["hall"]!);
        Assert.Equal("王芳", (string)certificate["issuer"]!["clerkName"]!);
        Assert.EndsWith("+08:00", (string)certificate["issuedAtChina"]!);
        Assert.Equal("valid", (string)body["status"]!);
        Assert.Equal(3, ((string)body["jws"]!).Split('.').Length);
        Assert.DoesNotContain(CertificateWorld.ChenId, body.ToJsonString());
        Assert.Null(response.Headers.GetValues("Cache-Control").SingleOrDefault(v => !v.Contains("no-store", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Issue_HangzhouHallForShanghaiRecord_NumbersWithShanghaiDivision()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());

        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.WangMarriage(), CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var certificate = (await response.ReadJsonAsync())["certificate"]!;
        Assert.StartsWith("310000-", (string)certificate["number"]!);
        Assert.Equal("上海市档案馆", (string)certificate["holdingArchive"]!["nameZh"]!);
        Assert.Equal("330100", (string)certificate["issuer"]!["channel"]!["hall"]!);
    }

    [Fact]
    public async Task Issue_SubjectMismatch_Returns404IndistinguishableFromMissingRecord()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());

        // Chen's record asked for with Wang's ID number, and a record id that does not exist at all.
        using var mismatch = await CertificateWorld.PostAsync(client, CertificateWorld.Request("330100", CertificateWorld.HangzhouOneChild, CertificateWorld.WangId), CertificateWorld.NewKey());
        using var missing = await CertificateWorld.PostAsync(client, CertificateWorld.Request("330100", "HZ-NOPE-0000", CertificateWorld.WangId), CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.NotFound, mismatch.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", mismatch.Content.Headers.ContentType!.MediaType);
        var (a, b) = (await mismatch.ReadJsonAsync(), await missing.ReadJsonAsync());
        a.AsObject().Remove("traceId");
        b.AsObject().Remove("traceId");
        Assert.Equal(b.ToJsonString(), a.ToJsonString());
        Assert.NotNull(a["errors"]!["record"]);
    }

    [Fact]
    public async Task Issue_UnknownNode_Returns404NamingNodeId()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());

        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.Request("320000", "X-1", CertificateWorld.ChenId), CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["errors"]!["record.nodeId"]);
    }

    [Fact]
    public async Task Issue_ProbableMatch_NeedsConfirmation_ThenIssues()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var request = CertificateWorld.Request("330100", CertificateWorld.HangzhouEducatedYouth, null, "陈建国", new DateOnly(1955, 3, 12));
        var key = CertificateWorld.NewKey();

        using var unconfirmed = await CertificateWorld.PostAsync(client, request, key);
        using var confirmed = await CertificateWorld.PostAsync(client, request with { ProbableMatchConfirmed = true }, CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unconfirmed.StatusCode);
        Assert.NotNull((await unconfirmed.ReadJsonAsync())["errors"]!["probableMatchConfirmed"]);
        Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);
        var certificate = (await confirmed.ReadJsonAsync())["certificate"]!;
        Assert.Equal("probable", (string)certificate["record"]!["match"]!);
        Assert.Null(certificate["subject"]!["maskedIdNumber"]);
    }

    [Fact]
    public async Task Issue_PaperRecord_Returns202WithRetryAfter_AndTheSameKeyIssuesOnceRetrieved()
    {
        await using var own = await OwnCertificateWorld.StartAsync();
        var gateway = own.Gateway;
        using var client = gateway.ClientFor(Callers.HangzhouClerk());
        var request = CertificateWorld.Request("330100", CertificateWorld.HangzhouSchoolOnPaper, CertificateWorld.WangId);
        var key = CertificateWorld.NewKey();

        using var pending = await CertificateWorld.PostAsync(client, request, key);
        own.Hangzhou.FinishRetrievals();
        using var issued = await CertificateWorld.PostAsync(client, request, key);

        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), pending.Headers.RetryAfter!.Delta);
        Assert.Equal(30, (int)(await pending.ReadJsonAsync())["retryAfterSeconds"]!);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.False(issued.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Issue_CategoryOutsideAgreement_AnswersAsMissingRecord()
    {
        using var client = world.Gateway.ClientFor(Callers.Partner("partner-anhui", RecordCategory.Marriage));

        using var response = await CertificateWorld.PostAsync(client,
            CertificateWorld.ChenOneChild() with { IssuedVia = new CertificateChannel { Kind = IssuingChannelKind.Partner, Name = "安徽省档案馆" } },
            CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Issue_ArchiveOutsideAgreementRegions_Returns403()
    {
        // Anhui's agreement covers marriage records, at Zhejiang's archives only: not Shanghai's.
        using var client = world.Gateway.ClientFor(Callers.Partner("partner-anhui", RecordCategory.Marriage));
        var lookups = world.Shanghai.Lookups;

        using var response = await CertificateWorld.PostAsync(client,
            CertificateWorld.WangMarriage() with { IssuedVia = new CertificateChannel { Kind = IssuingChannelKind.Partner, Name = "安徽省档案馆" } },
            CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(lookups, world.Shanghai.Lookups);
    }

    [Fact]
    public async Task Issue_NodeDown_Returns503AndReleasesTheKey()
    {
        var (hangzhou, shanghai) = await CertificateWorld.StartNodesAsync();
        await using var _ = shanghai;
        await using var data = new TestData();
        await using var gateway = GatewayHost.Start([hangzhou, shanghai], dataDirectory: data.Path);
        using var client = gateway.ClientFor(Callers.HangzhouClerk());
        await hangzhou.DisposeAsync();

        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await using var ledger = gateway.Ledger();
        Assert.Empty(ledger.IdempotencyKeys);
    }

    [Fact]
    public async Task Issue_HoldingNodeAnswers503Once_TheEvidenceLookupIsRetriedAtOnce_AndTheCertificateIssues()
    {
        await using var own = await OwnCertificateWorld.StartAsync();
        var gateway = own.Gateway;
        using var client = gateway.ClientFor(Callers.HangzhouClerk());
        own.Hangzhou.FailNext(1);

        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());

        // A lookup is a GET: retried after 200 ms, not after the hour the node's Retry-After asks for.
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, own.Hangzhou.Lookups);
    }

    [Fact]
    public async Task Issue_Anonymous_Returns401Problem()
    {
        using var response = await CertificateWorld.PostAsync(world.Gateway.Anonymous, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}

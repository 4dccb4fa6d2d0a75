using System.Net;
using Archives.Contracts;
using Archives.Gateway.Client;
using Archives.Gateway.Tests.Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Gateway.Tests.Sdk;

/// <summary>The SDK as a government app uses it, against the real gateway, identity server and nodes.</summary>
public sealed class SdkTests(SdkWorld world) : IClassFixture<SdkWorld>
{
    [Fact]
    public async Task Sdk_SearchesIssuesPrintsAndVerifies()
    {
        await using var app = world.App();
        var gateway = app.GetRequiredService<IArchivesGatewayApi>();

        var nodes = await gateway.ListNodesAsync(Ct);
        var catalogue = await gateway.SearchCatalogueAsync(new GatewayCatalogueQuery { Q = "婚姻", Region = "32", Limit = 5 }, Ct);
        var records = await gateway.SearchRecordsAsync(new FederatedRecordSearchRequest
        {
            Subject = new Subject { IdNumber = IdNumber.Parse(CertificateWorld.ChenId), Name = "陈建国" },
            Categories = [RecordCategory.Marriage],
            Regions = [RegionPrefix.Parse("32")],
            Purpose = "办理退休手续",
        }, Ct);
        using var issued = await gateway.IssueAsync(SdkWorld.ChenOneChild(), Ct);
        var certificate = issued.Content!.Certificate;
        using var pdf = await gateway.GetPdfAsync(certificate.Number, Ct);
        var pdfBytes = await pdf.ReadAsByteArrayAsync(Ct);
        var verified = await gateway.VerifyAsync(new CertificateVerificationRequest { Number = certificate.Number, Code = certificate.VerificationCode }, Ct);

        Assert.Equal(["310000", "320000", "330100"], nodes.Nodes.Select(n => n.NodeId).Order(StringComparer.Ordinal));
        Assert.Equal(5, catalogue.Entries.Count);
        Assert.All(catalogue.Entries, e => Assert.Equal("320000", e.NodeId));
        Assert.Equal(NodeStatus.Ok, Assert.Single(catalogue.Nodes).Status);
        var record = Assert.Single(records.Records);
        Assert.Equal(SdkWorld.JiangsuMarriage, record.RecordId);
        Assert.Equal("330106********1238", record.MaskedIdNumber);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal("zheliban", certificate.Issuer.ClientId);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdfBytes, 0, 4));
        Assert.Equal(CertificateStatus.Valid, verified.Status);
        Assert.Equal(certificate.Number, verified.Certificate!.Number);
    }

    [Fact]
    public async Task Issue_ResponseLostTwice_RetriesWithTheSameKey_OneCertificateInTheLedger()
    {
        var faults = new LoseResponses(r => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath == "/api/v1/certificates", losses: 2);
        await using var app = world.App(client => client.AddHttpMessageHandler(() => faults));
        var gateway = app.GetRequiredService<IArchivesGatewayApi>();
        var request = SdkWorld.ChenOneChild() with { Purpose = "办理养老保险（重试测试）" };

        using var issued = await gateway.IssueAsync(request, Ct);

        var attempts = faults.Attempts.Where(a => a.Path == "/api/v1/certificates").ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.Single(attempts.Select(a => a.IdempotencyKey).Distinct());
        Assert.NotNull(attempts[0].IdempotencyKey);
        Assert.Equal("true", issued.Headers!.GetValues("Idempotent-Replayed").Single());

        await using var ledger = world.Gateway.Ledger();
        var held = await ledger.Certificates.AsNoTracking().Where(c => c.ClientId == "zheliban" && c.IdempotencyKey == attempts[0].IdempotencyKey).ToListAsync(Ct);
        Assert.Equal(issued.Content!.Certificate.Number, Assert.Single(held).Number);
    }

    [Fact]
    public async Task Issue_CallerKey_IsSentAsIs_AndTwoCallsWithoutKeyAreTwoCertificates()
    {
        var faults = new LoseResponses(_ => false, losses: 0);
        await using var app = world.App(client => client.AddHttpMessageHandler(() => faults));
        var certificates = app.GetRequiredService<ICertificatesApi>();
        var key = Guid.NewGuid().ToString();
        var request = SdkWorld.ChenOneChild() with { Purpose = "办理户籍迁移（密钥测试）" };

        using var mine = await certificates.IssueAsync(key, request, Ct);
        using var again = await certificates.IssueAsync(key, request, Ct);
        using var first = await certificates.IssueAsync(request, Ct);
        using var second = await certificates.IssueAsync(request, Ct);

        Assert.Equal(mine.Content!.Certificate.Number, again.Content!.Certificate.Number);
        Assert.Equal(key, faults.Attempts.First().IdempotencyKey);
        Assert.NotEqual(first.Content!.Certificate.Number, second.Content!.Certificate.Number);
    }

    [Fact]
    public async Task Verify_ResponseLost_IsNotRetried()
    {
        // A POST without an Idempotency-Key is sent once, whatever it is: the SDK cannot know it is harmless.
        var faults = new LoseResponses(r => r.RequestUri!.AbsolutePath == "/api/v1/certificates/verify", losses: 1);
        await using var app = world.App(client => client.AddHttpMessageHandler(() => faults));
        var gateway = app.GetRequiredService<IArchivesGatewayApi>();

        var error = await Assert.ThrowsAsync<Refit.ApiRequestException>(() => gateway.VerifyAsync(new CertificateVerificationRequest { Number = "330100-20261125-AAAAAA", Code = "ABCDEFGH" }, Ct));

        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Single(faults.Attempts, a => a.Path == "/api/v1/certificates/verify");
    }

    [Theory]
    [InlineData("POST", "/api/v1/certificates/330100-20261125-7K3M9Q/revoke", null, false)]
    [InlineData("POST", "/api/v1/records/search", null, false)]
    [InlineData("POST", "/api/v1/certificates", "5f0c3a5e-8c1b-4f7e-9d55-2b8f7f0a6e41", true)]
    [InlineData("GET", "/api/v1/certificates/330100-20261125-7K3M9Q", null, true)]
    public void Retry_OnlyWhereItCannotRepeatAnEffect(string method, string path, string? key, bool retried)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(world.Gateway.Address, path));
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var unavailable = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        Assert.Equal(retried, ArchivesGatewayClientExtensions.ShouldRetry(request, Polly.Outcome.FromResult(unavailable), TimeSpan.FromSeconds(30)));
        Assert.Equal(retried, ArchivesGatewayClientExtensions.ShouldRetry(request, Polly.Outcome.FromException<HttpResponseMessage>(new HttpRequestException("reset")), TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, 5, true)]
    [InlineData(HttpStatusCode.TooManyRequests, 600, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 5, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 3600, false)]
    public void Retry_WaitsOutARetryAfterUpToTheLimit_ALongerOneGoesBackToTheApp(HttpStatusCode status, int retryAfterSeconds, bool retried)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(world.Gateway.Address, "/api/v1/nodes"));
        using var response = new HttpResponseMessage(status);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(retryAfterSeconds));

        // A rate limit's window is minutes: waiting it out would end the call in a timeout instead of the 429.
        Assert.Equal(retried, ArchivesGatewayClientExtensions.ShouldRetry(request, Polly.Outcome.FromResult(response), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task OverTheLimit_TheAppGetsThe429AndItsRetryAfterAtOnce_NotATimeoutMinutesLater()
    {
        var limit = new AnswerTooManyRequests(r => r.RequestUri!.AbsolutePath == "/api/v1/nodes", TimeSpan.FromMinutes(10));
        await using var app = world.App(client => client.AddHttpMessageHandler(() => limit));
        var gateway = app.GetRequiredService<IArchivesGatewayApi>();

        var error = await Assert.ThrowsAsync<Refit.ApiException>(() => gateway.ListNodesAsync(Ct));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(10), error.Headers.RetryAfter?.Delta);
        Assert.Equal(1, limit.Answered);
    }

    [Fact]
    public async Task Get_ResponseLost_IsRetried()
    {
        var faults = new LoseResponses(r => r.Method == HttpMethod.Get, losses: 1);
        await using var app = world.App(client => client.AddHttpMessageHandler(() => faults));

        var nodes = await app.GetRequiredService<IGatewayNodesApi>().ListNodesAsync(Ct);

        Assert.Equal(3, nodes.Nodes.Count);
        Assert.Equal(2, faults.Attempts.Count(a => a.Path == "/api/v1/nodes"));
    }

    [Fact]
    public async Task Tokens_OneTokenRequestForManyConcurrentCalls()
    {
        var counter = new CountRequests();
        await using var app = world.App(services: s => s.AddHttpClient(GatewayTokenSource.HttpClientName).AddHttpMessageHandler(() => counter));
        var gateway = app.GetRequiredService<IArchivesGatewayApi>();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => gateway.SearchCatalogueAsync(new GatewayCatalogueQuery { Q = "婚姻", Limit = 1 }, Ct)));
        await gateway.ListNodesAsync(Ct);

        Assert.Equal(1, counter.TokenRequests);
    }

    [Fact]
    public async Task Tokens_ExpiringToken_IsRenewedBeforeExpiry()
    {
        var counter = new CountRequests();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = world.App(services: s =>
        {
            s.AddHttpClient(GatewayTokenSource.HttpClientName).AddHttpMessageHandler(() => counter);
            s.AddSingleton<TimeProvider>(time);
        });
        var tokens = app.GetRequiredService<GatewayTokenSource>();

        var first = await tokens.GetTokenAsync(Ct);
        var same = await tokens.GetTokenAsync(Ct);
        time.Advance(TimeSpan.FromHours(2)); // past any access token's lifetime less the renewal margin
        var renewed = await tokens.GetTokenAsync(Ct);

        Assert.Equal(first, same);
        Assert.Equal(2, counter.TokenRequests);
        Assert.NotEqual(first, renewed);
    }

    [Fact]
    public async Task Options_MissingCredentials_StopTheAppWithTheKey()
    {
        var services = new ServiceCollection();
        services.AddArchivesGatewayClient(o => o.BaseAddress = world.Gateway.Address);
        await using var app = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.GetRequiredService<IArchivesGatewayApi>().ListNodesAsync(Ct));

        Assert.Contains("Authority", error.Message, StringComparison.Ordinal);
    }
}

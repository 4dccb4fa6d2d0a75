using System.Net;
using Archives.Contracts;
using Archives.Gateway.Client;
using Archives.Gateway.Tests.Certificates;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace Archives.Gateway.Tests.Sdk;

/// <summary><see cref="IGatewayRecordStream"/> as an app uses it, against the real gateway with the app's real tokens.</summary>
public sealed class RecordStreamSdkTests(SdkWorld world) : IClassFixture<SdkWorld>
{
    private static FederatedRecordSearchRequest Chen(string purpose = "办理退休手续", string region = "32") => new()
    {
        Subject = new Subject { IdNumber = IdNumber.Parse(CertificateWorld.ChenId), Name = "陈建国" },
        Categories = [RecordCategory.Marriage],
        Regions = [RegionPrefix.Parse(region)],
        Purpose = purpose,
    };

    [Fact]
    public async Task Search_YieldsEachArchivesEvent_ThenTheSummary()
    {
        await using var app = world.App();
        var stream = app.GetRequiredService<IGatewayRecordStream>();

        var events = new List<RecordStreamEvent>();
        await foreach (var item in stream.SearchAsync(Chen(), Ct))
        {
            events.Add(item);
        }

        var node = Assert.Single(events, e => e.Node is not null).Node!;
        Assert.Equal(("320000", NodeStatus.Ok), (node.Node.NodeId, node.Node.Status));
        var record = Assert.Single(node.Records);
        Assert.Equal((SdkWorld.JiangsuMarriage, MatchKind.Exact), (record.RecordId, record.Match));
        Assert.Equal(IdNumber.Mask(CertificateWorld.ChenId), record.MaskedIdNumber);
        var summary = events[^1].Summary;
        Assert.NotNull(summary);
        Assert.Equal(1, summary.Found);
        Assert.False(summary.Partial);
        Assert.Equal(["320000"], summary.Nodes.Select(n => n.NodeId));
    }

    [Fact]
    public async Task Search_Refused_ThrowsApiExceptionWithTheProblemDetails_AsOtherSdkCalls()
    {
        await using var app = world.App();
        await using var partner = SdkWorld.App(world.Gateway.Address, "partner-shanghai", ["records.search"]);

        var invalid = await Assert.ThrowsAnyAsync<ApiException>(async () => await Drain(app.GetRequiredService<IGatewayRecordStream>().SearchAsync(Chen(purpose: "  "), Ct)));
        var outside = await Assert.ThrowsAnyAsync<ApiException>(async () => await Drain(partner.GetRequiredService<IGatewayRecordStream>().SearchAsync(Chen(), Ct)));

        // Refit's own type for a problem+json refusal, as any SDK call throws it.
        Assert.IsType<ValidationApiException>(invalid);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.GetContentAsAsync<ProblemDetails>();
        Assert.Contains("purpose", problem!.Errors.Keys);
        Assert.DoesNotContain(CertificateWorld.ChenId, invalid.Content!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal("regions", (await outside.GetContentAsAsync<ProblemDetails>())!.Extensions["field"]?.ToString());
    }

    [Fact]
    public async Task Search_IsNeverRetried_A429ComesBackAtOnceWithItsRetryAfter()
    {
        var limit = new AnswerTooManyRequests(r => r.RequestUri!.AbsolutePath.EndsWith("/records/search/stream", StringComparison.Ordinal), TimeSpan.FromSeconds(1));
        await using var app = world.App(services: s => s.AddHttpClient(ArchivesGatewayClientExtensions.RecordStreamClientName).AddHttpMessageHandler(() => limit));

        var error = await Assert.ThrowsAnyAsync<ApiException>(async () => await Drain(app.GetRequiredService<IGatewayRecordStream>().SearchAsync(Chen(), Ct)));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), error.Headers.RetryAfter?.Delta);
        Assert.Equal(1, limit.Answered);
    }

    private static async Task Drain(IAsyncEnumerable<RecordStreamEvent> events)
    {
        await foreach (var _ in events)
        {
        }
    }
}

using System.Net;
using Archives.Node.Tests.Seeding;
using Archives.Testing;

namespace Archives.Node.Tests.Records;

/// <summary>A node with a long retrieval delay, restarted on its own data directory.</summary>
public sealed class SlowRetrievalFixture(IdentityServerFixture identity) : NodeFixture(identity, new() { ["Node:RetrievalDelay"] = "01:00:00" });

public sealed class RetrievalRestartTests(SlowRetrievalFixture node) : IClassFixture<SlowRetrievalFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Retrieval_NodeRestarted_KeepsItsReadyTimeAndTheDatabase()
    {
        var li = DemoCitizensTests.Subject("李明");
        var first = await node.Api.GetRecordAsync("DEMO-03-02", li.IdNumber.Value, null, null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var readyAt = first.Content!.Retrieval!.ReadyAt;
        Assert.InRange(first.Content.Retrieval.RetryAfterSeconds, 3590, 3600);

        await node.StopAsync();
        await node.StartAsync();

        var again = await node.Api.GetRecordAsync("DEMO-03-02", li.IdNumber.Value, null, null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(readyAt, again.Content!.Retrieval!.ReadyAt);
        Assert.Contains(node.Logs.Messages, m => m.Contains("reusing the seeded database", StringComparison.Ordinal));
    }
}

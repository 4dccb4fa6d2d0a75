using Archives.Node.Tests.Seeding;

namespace Archives.Node.Tests;

public sealed class LoggingTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task Logs_NeverContainAFullIdNumber()
    {
        var ct = TestContext.Current.CancellationToken;
        var chen = DemoCitizensTests.Subject("陈建国");
        var li = DemoCitizensTests.Subject("李明");
        var records = await node.RecordsAsync();
        var synthetic = records.First(r => r.IdNumber is not null).IdNumber!;

        await node.Api.SearchRecordsAsync(new() { Subject = new() { IdNumber = chen.IdNumber, Name = chen.Name } }, ct);
        await node.Api.SearchRecordsAsync(new() { Subject = new() { IdNumber = Archives.Contracts.IdNumber.Parse(synthetic) } }, ct);
        await node.Api.GetRecordAsync("DEMO-03-02", li.IdNumber.Value, null, null, ct);
        await node.Api.GetRecordAsync("DEMO-01-04", li.IdNumber.Value, null, null, ct);
        using var bad = new StringContent($$$"""{"subject":{"idNumber":"{{{chen.IdNumber.Value[..17]}}}0"}}""", System.Text.Encoding.UTF8, "application/json");
        (await node.Http.PostAsync("/node/v1/records/search", bad, ct)).Dispose();

        Assert.NotEmpty(node.Logs.Messages);
        foreach (var id in new[] { chen.IdNumber.Value, li.IdNumber.Value, synthetic, chen.IdNumber.Value[..17] })
        {
            Assert.DoesNotContain(node.Logs.Messages, m => m.Contains(id, StringComparison.Ordinal));
        }
    }
}

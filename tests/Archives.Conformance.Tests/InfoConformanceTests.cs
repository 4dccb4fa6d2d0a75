using System.Net;

namespace Archives.Conformance.Tests;

[Collection(NodeCollection.Name)]
public sealed class InfoConformanceTests(NodeUnderTest node)
{
    [Fact]
    public void Info_DescribesTheNode()
    {
        var info = node.Info;

        Assert.Equal(NodeContract.Version, info.ContractVersion);
        Assert.Matches("^[a-z0-9-]{2,64}$", info.NodeId);
        Assert.False(string.IsNullOrWhiteSpace(info.NameZh));
        Assert.False(string.IsNullOrWhiteSpace(info.NameEn));
        Assert.NotEmpty(info.Categories);
        Assert.True(info.RecordCounts.OpenCatalogueEntries <= info.RecordCounts.CatalogueEntries);
        Assert.Equal(info.RecordCounts.PersonalRecords, info.RecordCounts.PersonalRecordsByCategory.Values.Sum());
    }

    [Fact]
    public async Task Health_LiveAndReady_Answer200()
    {
        using var live = await node.Http.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
        using var ready = await node.Http.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task UnknownPath_Is404Problem()
    {
        using var response = await node.Http.GetAsync(new Uri("/node/v1/no-such-operation", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

using System.Net;
using Archives.Contracts;

namespace Archives.Node.Tests.Info;

public sealed class InfoApiTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task Info_ReturnsConfiguredIdentityAndCategories()
    {
        var info = await node.Api.GetInfoAsync(TestContext.Current.CancellationToken);

        Assert.Equal("330100", info.NodeId);
        Assert.Equal("杭州市档案馆", info.NameZh);
        Assert.Equal("Hangzhou Municipal Archives", info.NameEn);
        Assert.Equal(DivisionCode.Parse("330100"), info.DivisionCode);
        Assert.Equal(DivisionLevel.City, info.Level);
        Assert.Equal(NodeContract.Version, info.ContractVersion);
        // The comma-separated string from the registry's metadata binds to the list.
        Assert.Equal(NodeFixture.HangzhouCategories.Split(','), info.Categories.Select(c => c.Code));
    }

    [Fact]
    public async Task Info_CountsSeededEntriesAndRecords()
    {
        var info = await node.Api.GetInfoAsync(TestContext.Current.CancellationToken);
        var demo = Seeding.DemoCitizensTests.RecordsAt("330100").Count;

        Assert.Equal(3000, info.RecordCounts.CatalogueEntries);
        Assert.InRange(info.RecordCounts.OpenCatalogueEntries, 1, 2999);
        Assert.Equal(1000 + demo, info.RecordCounts.PersonalRecords);
        Assert.Equal(info.RecordCounts.PersonalRecords, info.RecordCounts.PersonalRecordsByCategory.Values.Sum());
        Assert.All(info.RecordCounts.PersonalRecordsByCategory.Keys, code => Assert.Contains(code, NodeFixture.HangzhouCategories.Split(',')));
    }

    [Fact]
    public async Task Info_IsPublic_NeedsNoSubjectOrToken()
    {
        using var anonymous = node.CreateAnonymousClient();
        using var response = await anonymous.GetAsync("/node/v1/info", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}

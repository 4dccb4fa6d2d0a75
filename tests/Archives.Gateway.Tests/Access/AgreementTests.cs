using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Archives.Contracts;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Access;

/// <summary>A personal-record search stays within the caller's agreement (archives_categories, archives_regions).</summary>
public sealed class AgreementTests
{
    private static readonly IdNumber Subject = IdNumber.Create(DivisionCode.Parse("330106"), new DateOnly(1960, 5, 4), 123);

    private static object Body(string[]? categories = null, string[]? regions = null) => new
    {
        subject = new { idNumber = Subject.Value },
        categories = categories ?? [],
        regions = regions ?? [],
        purpose = "婚姻证明",
    };

    [Fact]
    public async Task Search_ArchivesOutsideTheAgreementAreNotApplicable_OthersAskedOnlyForCoveredCategories()
    {
        await using var hangzhou = await TestNode.StartAsync("330100");
        await using var shanghai = await TestNode.StartAsync("310000");
        await using var gateway = GatewayHost.Start([hangzhou, shanghai]);
        using var partner = gateway.ClientAs("partner-shanghai", "records.search");

        var (response, body) = await partner.PostJsonAsync("/api/v1/records/search", Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("not-applicable", body.Status("310000"));
        Assert.Equal("ok", body.Status("330100"));
        Assert.Null(shanghai.LastRecordSearch);
        Assert.Equal(
            new HashSet<RecordCategory> { RecordCategory.Marriage, RecordCategory.EducatedYouth, RecordCategory.Employment },
            hangzhou.LastRecordSearch!.Categories.ToHashSet());
    }

    [Theory]
    [InlineData("partner-anhui", new[] { "military-service" }, new string[0], "categories")]
    [InlineData("partner-shanghai", new[] { "marriage" }, new[] { "32" }, "regions")]
    public async Task Search_OutsideTheAgreement_Is403NamingTheField(string client, string[] categories, string[] regions, string field)
    {
        await using var hangzhou = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([hangzhou]);
        using var partner = gateway.ClientAs(client, "records.search");

        var response = await partner.PostAsJsonAsync("/api/v1/records/search", Body(categories, regions), JsonSerializerOptions.Web, Ct);
        var body = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(field, (string)body["field"]!);
        Assert.Null(hangzhou.LastRecordSearch);
    }
}

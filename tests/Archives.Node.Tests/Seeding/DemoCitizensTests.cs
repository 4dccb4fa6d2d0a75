using Archives.Contracts;
using Archives.Node.Seeding;
using Archives.Testing;

namespace Archives.Node.Tests.Seeding;

/// <summary>A Shanghai node: the demo citizens' records are spread over several nodes.</summary>
public sealed class ShanghaiNodeFixture(IdentityServerFixture identity) : NodeFixture(identity, new()
{
    ["Node:Id"] = "310000",
    ["Node:NameZh"] = "上海市档案馆",
    ["Node:NameEn"] = "Shanghai Municipal Archives",
    ["Node:DivisionCode"] = "310000",
    ["Node:Level"] = "province",
    ["Node:Categories"] = "marriage,educated-youth,military-service,adoption,employment,school,land-contract,one-child",
    ["Node:CatalogueEntries"] = "500",
    ["Node:PersonalRecords"] = "300",
});

public sealed class DemoCitizensTests(ShanghaiNodeFixture shanghai) : IClassFixture<ShanghaiNodeFixture>
{
    private static readonly Lazy<DemoCitizensFile> File = new(() => DemoCitizens.Load(Repository.DemoCitizensFile));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static DemoCitizen Subject(string name) => File.Value.Subjects.Single(s => s.Name == name);

    internal static IReadOnlyList<DemoRecord> RecordsAt(string nodeId) => [.. File.Value.Subjects.SelectMany(s => s.Records).Where(r => r.NodeId == nodeId)];

    [Fact]
    public void DemoFile_SubjectsHaveValidIdNumbersAgreeingWithBirthDates()
    {
        // Loading parses every ID number (checksum included) and checks the birth dates.
        var subjects = File.Value.Subjects;

        Assert.InRange(subjects.Count, 5, 8);
        Assert.All(subjects, s => Assert.Equal(s.IdNumber.BirthDate, s.BirthDate));
        Assert.Equal(subjects.Count, subjects.Select(s => s.IdNumber).Distinct().Count());
    }

    [Fact]
    public void DemoFile_CoversTheCasesTheFederationDemonstrates()
    {
        var subjects = File.Value.Subjects;

        Assert.True(subjects.Select(s => s.Records.Select(r => r.NodeId).Distinct().Count()).Max() >= 2, "records spread over several nodes");
        Assert.Contains(subjects, s => s.Records.Any(r => r.NodeId == "310000"));
        Assert.Contains(subjects, s => s.Records.Any(r => r.NodeId == "330100"));
        Assert.Contains(subjects, s => s.Records.Any(r => r.NodeId == "310000") && s.Records.Any(r => r.NodeId == "330100"));
        Assert.Contains(subjects, s => s.BirthDate.Year is >= 1953 and <= 1957
            && s.Records.Any(r => r.Category == RecordCategory.EducatedYouth && r.Year == 1972 && !r.HasIdNumber)
            && s.Records.Any(r => r.Category == RecordCategory.Marriage && r.Year == 1980 && !r.HasIdNumber));
        Assert.Contains(subjects, s => s.Records.Any(r => !r.Digitised));
        Assert.All(subjects.SelectMany(s => s.Records), r => Assert.True(r.Year >= 1985 || !r.HasIdNumber || r.Year < 1985));
    }

    [Fact]
    public async Task DemoCitizen_InShanghaiAndHangzhou_FoundOnTheShanghaiNode()
    {
        var wang = Subject("王丽华");

        var result = await shanghai.Api.SearchRecordsAsync(new() { Subject = new() { IdNumber = wang.IdNumber, Name = wang.Name } }, Ct);

        Assert.Equal(["DEMO-02-02", "DEMO-02-03"], result.Records.Select(r => r.RecordId));
        Assert.All(result.Records, r => Assert.Equal(MatchKind.Exact, r.Match));
        Assert.Equal([RecordCategory.Marriage, RecordCategory.OneChild], result.Records.Select(r => r.Category));
    }

    [Fact]
    public async Task DemoCitizen_RecordsOfOtherNodes_AreNotOnTheShanghaiNode()
    {
        var chen = Subject("陈建国");

        var result = await shanghai.Api.SearchRecordsAsync(new() { Subject = new() { IdNumber = chen.IdNumber, Name = chen.Name } }, Ct);

        Assert.DoesNotContain(result.Records, r => r.RecordId.StartsWith("DEMO-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShanghaiNode_SubjectsBornMostlyInShanghai()
    {
        var records = await shanghai.RecordsAsync();
        var withId = records.Where(r => r.IdNumber is not null && !r.Id.StartsWith("DEMO", StringComparison.Ordinal)).ToList();

        Assert.True(withId.Count(r => r.IdNumber!.StartsWith("31", StringComparison.Ordinal)) > withId.Count * 0.8);
    }
}

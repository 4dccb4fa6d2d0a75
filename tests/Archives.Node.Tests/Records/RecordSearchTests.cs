using Archives.Contracts;
using Archives.Node.Tests.Seeding;

namespace Archives.Node.Tests.Records;

public sealed class RecordSearchTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Search_ByIdNumber_ReturnsEveryRecordCarryingItAsExact()
    {
        var records = await node.RecordsAsync();
        var target = records.First(r => r.IdNumber is not null && !r.Id.StartsWith("DEMO", StringComparison.Ordinal));
        var expected = records.Where(r => r.IdNumber == target.IdNumber).Select(r => r.Id).Order().ToList();

        var result = await node.Api.SearchRecordsAsync(new() { Subject = new() { IdNumber = IdNumber.Parse(target.IdNumber!) } }, Ct);

        Assert.Equal(expected, result.Records.Where(r => r.Match == MatchKind.Exact).Select(r => r.RecordId).Order().ToList());
        Assert.All(result.Records.Where(r => r.Match == MatchKind.Exact), r => Assert.Equal(IdNumber.Mask(target.IdNumber!), r.MaskedIdNumber));
    }

    [Fact]
    public async Task Search_ByNameAndBirthDate_ReturnsRecordsWithoutIdNumberAsProbable()
    {
        var records = await node.RecordsAsync();
        var target = records.First(r => r.IdNumber is null);

        var result = await node.Api.SearchRecordsAsync(new() { Subject = new() { Name = target.SubjectName, BirthDate = target.SubjectBirthDate } }, Ct);

        Assert.Contains(result.Records, r => r.RecordId == target.Id && r.Match == MatchKind.Probable);
        Assert.All(result.Records, r =>
        {
            Assert.Equal(MatchKind.Probable, r.Match);
            Assert.Null(r.MaskedIdNumber);
            Assert.Equal(target.SubjectName, r.SubjectName);
        });
    }

    [Fact]
    public async Task Search_RecordCarryingIdNumber_NotReturnedForNameAndBirthDateAlone()
    {
        var records = await node.RecordsAsync();
        var target = records.First(r => r.IdNumber is not null);

        var result = await node.Api.SearchRecordsAsync(new() { Subject = new() { Name = target.SubjectName, BirthDate = target.SubjectBirthDate } }, Ct);

        Assert.DoesNotContain(result.Records, r => r.RecordId == target.Id);
        Assert.All(result.Records, r => Assert.Equal(MatchKind.Probable, r.Match));
    }

    [Fact]
    public async Task Search_OtherIdNumberWithSameNameAndBirthDate_NeverReturnsRecordsCarryingAnIdNumber()
    {
        var records = await node.RecordsAsync();
        var target = records.First(r => r.IdNumber is not null);
        var real = IdNumber.Parse(target.IdNumber!);
        var other = IdNumber.Create(real.Division, real.BirthDate, (int.Parse(real.Value[14..17]) + 2) % 1000);

        var result = await node.Api.SearchRecordsAsync(new() { Subject = new() { IdNumber = other, Name = target.SubjectName } }, Ct);

        Assert.DoesNotContain(result.Records, r => r.MaskedIdNumber is not null);
        Assert.DoesNotContain(result.Records, r => r.RecordId == target.Id);
    }

    [Fact]
    public async Task Search_IdNumberWithOtherName_ReturnsNoExactMatch()
    {
        var records = await node.RecordsAsync();
        var target = records.First(r => r.IdNumber is not null);

        var result = await node.Api.SearchRecordsAsync(new() { Subject = new() { IdNumber = IdNumber.Parse(target.IdNumber!), Name = "欧阳某某" } }, Ct);

        Assert.DoesNotContain(result.Records, r => r.Match == MatchKind.Exact);
    }

    [Fact]
    public async Task Search_DemoCitizen_ExactFirstThenProbable_BirthDateTakenFromIdNumber()
    {
        var chen = DemoCitizensTests.Subject("陈建国");

        // ID number and name, no birth date: the 1972 and 1980 records without an ID number match on
        // name and the birth date inside the ID number.
        var result = await node.Api.SearchRecordsAsync(new() { Subject = new() { IdNumber = chen.IdNumber, Name = chen.Name } }, Ct);

        Assert.Equal(["DEMO-01-04", "DEMO-01-01", "DEMO-01-02"], result.Records.Select(r => r.RecordId));
        Assert.Equal([MatchKind.Exact, MatchKind.Probable, MatchKind.Probable], result.Records.Select(r => r.Match));
        Assert.Equal([RecordCategory.OneChild, RecordCategory.EducatedYouth, RecordCategory.Marriage], result.Records.Select(r => r.Category));
        Assert.Equal([1986, 1972, 1980], result.Records.Select(r => r.EventDate.Year));
        Assert.Equal(chen.IdNumber.Masked, result.Records[0].MaskedIdNumber);
    }

    [Fact]
    public async Task Search_CategoryFilter_ReturnsOnlyThoseCategories()
    {
        var chen = DemoCitizensTests.Subject("陈建国");

        var result = await node.Api.SearchRecordsAsync(new()
        {
            Subject = new() { IdNumber = chen.IdNumber, Name = chen.Name },
            Categories = [RecordCategory.Marriage],
        }, Ct);

        Assert.Equal(["DEMO-01-02"], result.Records.Select(r => r.RecordId));
    }

    [Fact]
    public async Task Search_CategoryTheNodeDoesNotHold_ReturnsEmptyNotError()
    {
        var chen = DemoCitizensTests.Subject("陈建国");

        var result = await node.Api.SearchRecordsAsync(new()
        {
            Subject = new() { IdNumber = chen.IdNumber, Name = chen.Name },
            Categories = [RecordCategory.Adoption, RecordCategory.LandContract],
        }, Ct);

        Assert.Empty(result.Records);
    }

    [Fact]
    public async Task Search_NameWrittenWithSpacesOrFullWidth_IsTheSameName()
    {
        var chen = DemoCitizensTests.Subject("陈建国");

        var result = await node.Api.SearchRecordsAsync(new() { Subject = new() { Name = " 陈 建国 ", BirthDate = chen.BirthDate } }, Ct);

        Assert.Contains(result.Records, r => r.RecordId == "DEMO-01-01");
    }

    [Fact]
    public async Task Search_NobodyMatches_ReturnsEmpty()
    {
        var result = await node.Api.SearchRecordsAsync(new() { Subject = new() { Name = "查无此人", BirthDate = new DateOnly(1901, 1, 1) } }, Ct);

        Assert.Empty(result.Records);
    }
}

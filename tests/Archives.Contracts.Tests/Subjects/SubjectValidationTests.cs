using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Archives.Contracts.Tests.Subjects;

/// <summary>The one subject check of the federation: what it refuses, under which field, and what it returns.</summary>
public class SubjectValidationTests
{
    private static readonly IdNumber Chen = IdNumber.Parse("330106195503121238", CultureInfo.InvariantCulture);

    /// <summary>2026-12-07 17:00 UTC: already 2026-12-08 in China.</summary>
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 12, 7, 17, 0, 0, TimeSpan.Zero));

    public static TheoryData<Subject?, string[]> Refused => new()
    {
        { null, ["subject"] },
        { new Subject(), ["subject"] },
        { new Subject { Name = "  " }, ["subject"] },
        { new Subject { Name = "陈建国" }, ["subject", "subject.birthDate"] },
        { new Subject { BirthDate = new DateOnly(1955, 3, 12) }, ["subject", "subject.name"] },
        { new Subject { Name = " \u3000", BirthDate = new DateOnly(1955, 3, 12) }, ["subject", "subject.name"] },
        { new Subject { Name = new string('陈', NodeContract.MaxNameLength + 1), BirthDate = new DateOnly(1955, 3, 12) }, ["subject.name"] },
        { new Subject { Name = "陈\u0000建国", BirthDate = new DateOnly(1955, 3, 12) }, ["subject.name"] },
        { new Subject { Name = "陈建国", BirthDate = new DateOnly(1849, 12, 31) }, ["subject.birthDate"] },
        { new Subject { Name = "陈建国", BirthDate = new DateOnly(2026, 12, 9) }, ["subject.birthDate"] },
        { new Subject { IdNumber = Chen, BirthDate = new DateOnly(1955, 3, 13) }, ["subject.birthDate"] },
        { new Subject { Name = new string('陈', NodeContract.MaxNameLength + 1) }, ["subject", "subject.birthDate", "subject.name"] },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Validate_RefusesUnderTheFieldsConcerned(Subject? subject, string[] fields)
    {
        var errors = new Dictionary<string, string[]>();

        var valid = SubjectValidation.Validate(subject, SubjectFields.Body, Time, errors);

        Assert.Null(valid);
        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(errors.Values, messages => Assert.False(string.IsNullOrWhiteSpace(Assert.Single(messages))));
    }

    [Fact]
    public void Validate_NamesHeadersForASubjectInHeaders()
    {
        var errors = new Dictionary<string, string[]>();

        SubjectValidation.Validate(new Subject { BirthDate = new DateOnly(1955, 3, 12) }, SubjectFields.Headers, Time, errors);

        Assert.Equal([NodeContract.SubjectHeaders.Name, "subject"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_KeepsErrorsAlreadyFound_AndRefusesEvenWhenItsOwnFieldWasReportedBefore()
    {
        var errors = new Dictionary<string, string[]> { ["purpose"] = ["x"], ["subject.birthDate"] = ["earlier"] };

        Assert.Null(SubjectValidation.Validate(new Subject { IdNumber = Chen, BirthDate = new DateOnly(1960, 1, 1) }, SubjectFields.Body, Time, errors));
        Assert.Equal(["purpose", "subject.birthDate"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_TodayIsChinaTime()
    {
        // 2026-12-08 is today in China while UTC still says 2026-12-07.
        var born = new Subject { Name = "陈建国", BirthDate = new DateOnly(2026, 12, 8) };

        Assert.NotNull(SubjectValidation.Validate(born, SubjectFields.Body, Time, new Dictionary<string, string[]>()));
        Assert.Null(SubjectValidation.Validate(born, SubjectFields.Body, new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 15, 59, 0, TimeSpan.Zero)), new Dictionary<string, string[]>()));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(" 陈建国 ", "陈建国")]
    [InlineData(" ", null)]
    public void Validate_ReturnsTheSubjectWithItsNameTrimmed(string? name, string? expected)
    {
        var errors = new Dictionary<string, string[]>();

        var valid = SubjectValidation.Validate(new Subject { IdNumber = Chen, Name = name }, SubjectFields.Body, Time, errors);

        Assert.Empty(errors);
        Assert.Equal(new Subject { IdNumber = Chen, Name = expected }, valid);
    }

    [Fact]
    public void Validate_AcceptsNameAndBirthDateWithoutIdNumber_AndTheIdNumbersOwnBirthDate()
    {
        Assert.NotNull(SubjectValidation.Validate(new Subject { Name = "陈建国", BirthDate = new DateOnly(1955, 3, 12) }, SubjectFields.Body, Time, new Dictionary<string, string[]>()));
        Assert.NotNull(SubjectValidation.Validate(new Subject { IdNumber = Chen, BirthDate = new DateOnly(1955, 3, 12) }, SubjectFields.Body, Time, new Dictionary<string, string[]>()));
        Assert.NotNull(SubjectValidation.Validate(new Subject { Name = "陈建国", BirthDate = IdNumber.EarliestBirthDate }, SubjectFields.Body, Time, new Dictionary<string, string[]>()));
    }
}

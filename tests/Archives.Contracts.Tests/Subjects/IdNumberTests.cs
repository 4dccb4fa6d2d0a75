using System.Globalization;
using System.Text.Json;

namespace Archives.Contracts.Tests.Subjects;

public class IdNumberTests
{
    [Theory]
    [InlineData("330106198503121231")]
    [InlineData("11010519491231002X")]
    [InlineData("11010519491231002x")]
    [InlineData(" 330106195602290010 ")]
    public void Parse_ValidNumber_Succeeds(string text)
    {
        Assert.True(IdNumber.TryParse(text, out var id, out var error), error);
        Assert.Equal(text.Trim().ToUpperInvariant(), id.Value);
    }

    [Fact]
    public void Parse_ReadsDivisionBirthDateAndSex()
    {
        var id = IdNumber.Parse("330106198503121231", CultureInfo.InvariantCulture);

        Assert.Equal("330106", id.Division.Value);
        Assert.Equal(new DateOnly(1985, 3, 12), id.BirthDate);
        Assert.Equal(Sex.Male, id.Sex);
        Assert.Equal(Sex.Female, IdNumber.Parse("11010519491231002X", CultureInfo.InvariantCulture).Sex);
    }

    [Theory]
    [InlineData("330106198503121232", "check character")]
    [InlineData("330106198502301234", "birth date")]
    [InlineData("330106184912311234", "birth date")]
    [InlineData("330106299901011234", "birth date")]
    [InlineData("33010619850312123", "18 characters")]
    [InlineData("3301061985031212311", "18 characters")]
    [InlineData("33010619850312123Y", "digit or X")]
    [InlineData("3301061985A3121231", "digits")]
    [InlineData("990106198503121231", "division code")]
    [InlineData("", "required")]
    [InlineData(null, "required")]
    public void Parse_InvalidNumber_FailsWithReason(string? text, string reason)
    {
        Assert.False(IdNumber.TryParse(text, out var id, out var error));
        Assert.Null(id);
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_LegacyFifteenDigits_UpgradesToEighteenWithCheckCharacter()
    {
        var id = IdNumber.Parse("330106800101001", CultureInfo.InvariantCulture);

        Assert.Equal("330106198001010013", id.Value);
        Assert.Equal(new DateOnly(1980, 1, 1), id.BirthDate);
    }

    [Fact]
    public void Parse_LegacyWithImpossibleDate_Fails()
        => Assert.False(IdNumber.TryParse("330106800230001", out _, out _));

    [Fact]
    public void Masked_ShowsDivisionAndLastFourOnly()
    {
        var id = IdNumber.Parse("11010519491231002X", CultureInfo.InvariantCulture);

        Assert.Equal("110105********002X", id.Masked);
        Assert.Equal(18, id.Masked.Length);
    }

    [Fact]
    public void ToString_IsMasked_SoLogsNeverCarryTheFullNumber()
    {
        var id = IdNumber.Parse("330106198503121231", CultureInfo.InvariantCulture);

        Assert.Equal("330106********1231", id.ToString());
        Assert.Equal("330106********1231", $"{id}");
    }

    [Fact]
    public void ParseError_NeverRepeatsTheNumber()
    {
        const string Text = "330106198503121232";

        var error = Assert.Throws<FormatException>(() => IdNumber.Parse(Text, CultureInfo.InvariantCulture));

        Assert.DoesNotContain(Text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ComputesCheckCharacter()
    {
        var id = IdNumber.Create(DivisionCode.Parse("330106", CultureInfo.InvariantCulture), new DateOnly(1985, 3, 12), 123);

        Assert.Equal("330106198503121231", id.Value);
    }

    [Fact]
    public void Equality_IsByValue()
    {
        Assert.Equal(IdNumber.Parse("11010519491231002x", CultureInfo.InvariantCulture), IdNumber.Parse("11010519491231002X", CultureInfo.InvariantCulture));
        Assert.True(IdNumber.Parse("330106800101001", CultureInfo.InvariantCulture) == IdNumber.Parse("330106198001010013", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Json_RoundTripsTheFullNumber()
    {
        var subject = new Subject { IdNumber = IdNumber.Parse("330106198503121231", CultureInfo.InvariantCulture), Name = "张伟" };

        var json = JsonSerializer.Serialize(subject, JsonSerializerOptions.Web);
        var back = JsonSerializer.Deserialize<Subject>(json, JsonSerializerOptions.Web);

        Assert.Contains("\"idNumber\":\"330106198503121231\"", json, StringComparison.Ordinal);
        Assert.Equal(subject, back);
    }

    [Fact]
    public void Json_InvalidNumber_ThrowsJsonExceptionWithPathAndWithoutTheNumber()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Subject>("""{"idNumber":"330106198503121232"}""", JsonSerializerOptions.Web));

        Assert.Equal("$.idNumber", error.Path);
        Assert.DoesNotContain("330106198503121232", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_NumberToken_IsRejected()
        => Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Subject>("""{"idNumber":330106198503121231}""", JsonSerializerOptions.Web));
}

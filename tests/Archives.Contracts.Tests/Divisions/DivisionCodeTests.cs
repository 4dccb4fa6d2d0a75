using System.Globalization;

namespace Archives.Contracts.Tests.Divisions;

public class DivisionCodeTests
{
    [Theory]
    [InlineData("330000", DivisionLevel.Province)]
    [InlineData("330100", DivisionLevel.City)]
    [InlineData("330106", DivisionLevel.County)]
    [InlineData("310000", DivisionLevel.Province)]
    public void Parse_ReadsLevel(string text, DivisionLevel level)
        => Assert.Equal(level, DivisionCode.Parse(text, CultureInfo.InvariantCulture).Level);

    [Theory]
    [InlineData("33010")]
    [InlineData("3301066")]
    [InlineData("33O106")]
    [InlineData("990000")]
    [InlineData("000000")]
    [InlineData("330006")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_Invalid_Fails(string? text)
    {
        Assert.False(DivisionCode.TryParse(text, out var code, out var error));
        Assert.Null(code);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void ProvinceAndCity_AreDerivedFromTheDigits()
    {
        var xihu = DivisionCode.Parse("330106", CultureInfo.InvariantCulture);

        Assert.Equal("330000", xihu.Province.Value);
        Assert.Equal("330100", xihu.City.Value);
        Assert.Equal("330106", xihu.SignificantPrefix);
        Assert.Equal("3301", xihu.City.SignificantPrefix);
    }

    [Theory]
    [InlineData("330106", "33", true)]
    [InlineData("330106", "3301", true)]
    [InlineData("330106", "330106", true)]
    [InlineData("330106", "3302", false)]
    [InlineData("310104", "33", false)]
    [InlineData("330000", "3301", false)]
    public void IsWithin_MatchesRegionPrefix(string code, string region, bool within)
        => Assert.Equal(within, DivisionCode.Parse(code, CultureInfo.InvariantCulture).IsWithin(RegionPrefix.Parse(region, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("3")]
    [InlineData("330")]
    [InlineData("33010")]
    [InlineData("99")]
    [InlineData("3a")]
    [InlineData("3301066")]
    public void RegionPrefix_Invalid_Fails(string text)
        => Assert.False(RegionPrefix.TryParse(text, out _, out _));

    [Fact]
    public void Equality_IsByValue()
        => Assert.Equal(DivisionCode.Parse("330106", CultureInfo.InvariantCulture), DivisionCode.Parse(" 330106", CultureInfo.InvariantCulture));
}

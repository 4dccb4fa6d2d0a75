using System.Globalization;
using System.Text.Json;

namespace Archives.Contracts.Tests.Catalogue;

public class ArchivalReferenceTests
{
    [Fact]
    public void Parse_FourLevels_ReadsEachLevel()
    {
        var reference = ArchivalReference.Parse("J012-HY·1985-0034-0007", CultureInfo.InvariantCulture);

        Assert.Equal("J012", reference.Fonds);
        Assert.Equal("HY·1985", reference.ClassCode);
        Assert.Equal("0034", reference.FileNumber);
        Assert.Equal("0007", reference.ItemNumber);
        Assert.Equal("J012-HY·1985-0034-0007", reference.Value);
    }

    [Fact]
    public void Parse_ThreeLevels_IsAFileReference()
    {
        var reference = ArchivalReference.Parse("0001-ws·2010·Y-0012", CultureInfo.InvariantCulture);

        Assert.Null(reference.ItemNumber);
        Assert.Equal("0001-WS·2010·Y-0012", reference.ToString());
    }

    [Theory]
    [InlineData("J012")]
    [InlineData("J012-HY")]
    [InlineData("J012-HY-1-2-3")]
    [InlineData("J012--0034-0007")]
    [InlineData("J012-HY··1985-0034")]
    [InlineData("J012-婚姻-0034")]
    [InlineData("J012-HY 1985-0034")]
    [InlineData("J012-HY.1985-0034")]
    [InlineData("")]
    public void Parse_Malformed_Fails(string text)
        => Assert.False(ArchivalReference.TryParse(text, out _, out _));

    [Fact]
    public void Parse_TooLong_Fails()
    {
        var text = "J012-" + new string('A', ArchivalReference.MaxLength) + "-0001";

        Assert.False(ArchivalReference.TryParse(text, out _, out var error));
        Assert.Contains("at most", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BuildsFromLevels()
        => Assert.Equal("J012-HY·1985-0034", ArchivalReference.Create("J012", "HY·1985", "0034").Value);

    [Fact]
    public void Json_RoundTrips()
    {
        var reference = ArchivalReference.Parse("J012-HY·1985-0034-0007", CultureInfo.InvariantCulture);

        var json = JsonSerializer.Serialize(reference);

        Assert.Equal(reference, JsonSerializer.Deserialize<ArchivalReference>(json));
    }
}

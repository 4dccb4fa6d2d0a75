using System.Globalization;
using System.Text.Json;

namespace Archives.Contracts.Tests.Records;

public class CategoryTests
{
    [Theory]
    [InlineData("marriage", "婚姻登记")]
    [InlineData("educated-youth", "知青")]
    [InlineData("military-service", "兵役/退伍")]
    [InlineData("adoption", "收养")]
    [InlineData("employment", "招工/职工")]
    [InlineData("school", "学籍")]
    [InlineData("land-contract", "土地承包")]
    [InlineData("one-child", "独生子女")]
    public void RecordCategory_KnownCodes_HaveChineseAndEnglishNames(string code, string nameZh)
    {
        var category = RecordCategory.Parse(code, CultureInfo.InvariantCulture);

        Assert.Equal(nameZh, category.NameZh);
        Assert.False(string.IsNullOrWhiteSpace(category.NameEn));
    }

    [Fact]
    public void RecordCategory_All_HasEveryCategoryOnce()
    {
        Assert.Equal(8, RecordCategory.All.Count);
        Assert.Equal(RecordCategory.All.Count, RecordCategory.All.Select(c => c.Code).Distinct().Count());
    }

    [Fact]
    public void RecordCategory_Unknown_FailsNamingKnownCodes()
    {
        Assert.False(RecordCategory.TryParse("divorce", out _, out var error));
        Assert.Contains("marriage", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordCategory_IsCaseInsensitive_AndIdentical()
        => Assert.Same(RecordCategory.EducatedYouth, RecordCategory.Parse(" Educated-Youth ", CultureInfo.InvariantCulture));

    [Fact]
    public void CatalogueCategory_KnownAndUnknown()
    {
        Assert.Equal("文书档案", CatalogueCategory.Parse("documents", CultureInfo.InvariantCulture).NameZh);
        Assert.False(CatalogueCategory.TryParse("marriage", out _, out _));
    }

    [Fact]
    public void Json_WritesCodes_AndRejectsUnknownCodes()
    {
        var request = new RecordSearchRequest { Subject = new Subject { Name = "张伟" }, Categories = [RecordCategory.Marriage, RecordCategory.OneChild] };

        var json = JsonSerializer.Serialize(request, JsonSerializerOptions.Web);

        Assert.Contains("\"categories\":[\"marriage\",\"one-child\"]", json, StringComparison.Ordinal);
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RecordSearchRequest>("""{"subject":{},"categories":["divorce"]}""", JsonSerializerOptions.Web));
        Assert.Equal("$.categories[0]", error.Path);
    }
}

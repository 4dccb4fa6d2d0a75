using Archives.Contracts;
using Archives.Node.Seeding;

namespace Archives.Node.Tests.Seeding;

public sealed class GeneratorTests
{
    private static readonly NodePlaces Hangzhou = NodePlaces.For(DivisionCode.Parse("330100"), "杭州市档案馆");

    private static readonly Lazy<List<Archives.Node.Records.PersonalRecord>> Records =
        new(() => [.. RecordGenerator.Generate(Hangzhou, RecordCategory.All, seed: 3, count: 20_000)]);

    private static readonly Lazy<List<Archives.Node.Catalogue.CatalogueItem>> Entries =
        new(() => [.. CatalogueGenerator.Generate(Hangzhou, seed: 3, count: 20_000)]);

    [Fact]
    public void Records_IdNumbersValid_MostlyFromCountiesOfTheNode()
    {
        var withId = Records.Value.Where(r => r.IdNumber is not null).ToList();
        var counties = Hangzhou.Counties.Select(c => c.Code).ToHashSet();

        Assert.All(withId, r => Assert.True(IdNumber.TryParse(r.IdNumber, out _, out _)));
        var local = withId.Count(r => counties.Contains(r.IdNumber![..6]));
        Assert.InRange(local / (double)withId.Count, 0.85, 0.95);
        var yrd = Divisions.All.Where(d => d.Level == DivisionLevel.County).Select(d => d.Code).ToHashSet();
        Assert.All(withId, r => Assert.Contains(r.IdNumber![..6], yrd));
    }

    [Fact]
    public void Records_EventDatesFitEachCategorysHistory()
    {
        foreach (var record in Records.Value)
        {
            var year = record.EventDate.Year;
            var age = year - record.SubjectBirthDate!.Value.Year;
            Assert.InRange(year, 1950, 2025);
            switch (record.Category)
            {
                case "educated-youth": Assert.InRange(year, 1962, 1979); Assert.InRange(age, 15, 26); break;
                case "land-contract": Assert.InRange(year, 1983, 2025); break;
                case "one-child": Assert.InRange(year, 1979, 2015); break;
                case "employment": Assert.InRange(year, 1958, 2010); Assert.InRange(age, 15, 31); break;
                case "marriage": Assert.InRange(age, 19, 36); break;
                case "military-service": Assert.InRange(age, 16, 23); break;
            }
        }

        var byCategory = Records.Value.ToLookup(r => r.Category);
        Assert.True(byCategory["employment"].Count(r => r.EventDate.Year <= 1995) > byCategory["employment"].Count() * 0.8);
        Assert.True(byCategory["adoption"].Count(r => r.EventDate.Year >= 1992) > byCategory["adoption"].Count() * 0.75);
    }

    [Fact]
    public void Records_Before1985MostlyWithoutIdNumber_AfterAlwaysWith()
    {
        var before = Records.Value.Where(r => r.EventDate.Year < 1985).ToList();
        var after = Records.Value.Where(r => r.EventDate.Year >= 1985).ToList();

        Assert.InRange(before.Count(r => r.IdNumber is null) / (double)before.Count, 0.86, 0.94);
        Assert.All(after, r => Assert.NotNull(r.IdNumber));
        Assert.All(Records.Value, r => Assert.NotNull(r.SubjectBirthDate));
    }

    [Fact]
    public void Records_About15PercentOnPaper()
    {
        var paper = Records.Value.Count(r => !r.Digitised) / (double)Records.Value.Count;

        Assert.InRange(paper, 0.12, 0.18);
    }

    [Fact]
    public void Records_OnlyHeldCategories()
    {
        var held = new[] { RecordCategory.Marriage, RecordCategory.School };

        var records = RecordGenerator.Generate(Hangzhou, held, seed: 3, count: 500).ToList();

        Assert.All(records, r => Assert.Contains(r.Category, new[] { "marriage", "school" }));
    }

    [Fact]
    public void Catalogue_YearsOpeningAndReferences()
    {
        var entries = Entries.Value;

        Assert.All(entries, e =>
        {
            Assert.InRange(e.Year, 1949, 2025);
            Assert.True(e.OpensIn is null || e.OpensIn == e.Year + 25);
            Assert.True(ArchivalReference.TryParse(e.ArchivalReference, out var reference, out _));
            Assert.Equal(e.FondsCode, reference!.Fonds);
            Assert.True(CatalogueCategory.TryParse(e.Category, out _, out _));
        });
        Assert.InRange(entries.Count(e => e.OpensIn is null) / (double)entries.Count, 0.06, 0.10);
        Assert.Equal(entries.Count, entries.Select(e => e.ArchivalReference).Distinct().Count());
        Assert.All(entries.Where(e => e.Title.Contains("知青", StringComparison.Ordinal)), e => Assert.InRange(e.Year, 1962, 1982));
        Assert.All(entries.Where(e => e.Title.Contains("土地承包", StringComparison.Ordinal)), e => Assert.True(e.Year >= 1983));
    }

    [Fact]
    public void Catalogue_TitlesNameTheNodesPlacesAndTopics()
    {
        var titles = Entries.Value.Select(e => e.Title).ToList();

        Assert.Contains(titles, t => t.Contains("杭州市", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.Contains("西湖区", StringComparison.Ordinal));
        foreach (var topic in new[] { "婚姻登记", "知青", "招工", "土地承包", "档案", "学籍", "独生子女", "征兵" })
        {
            Assert.Contains(titles, t => t.Contains(topic, StringComparison.Ordinal));
        }

        Assert.Contains(Entries.Value, e => e.FondsName == "杭州市民政局");
    }
}

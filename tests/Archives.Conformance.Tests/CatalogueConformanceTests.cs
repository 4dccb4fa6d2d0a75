namespace Archives.Conformance.Tests;

[Collection(NodeCollection.Name)]
public sealed class CatalogueConformanceTests(NodeUnderTest node)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("档案")]
    [InlineData("婚姻")]
    [InlineData("知青")]
    public async Task Search_ChineseWord_FindsEntriesThatContainIt(string word)
    {
        var result = await node.Api.SearchCatalogueAsync(new CatalogueSearchQuery { Q = word, Limit = 50 }, Ct);

        Assert.NotEmpty(result.Entries);
        Assert.All(result.Entries, e => Assert.True(
            e.Title.Contains(word, StringComparison.Ordinal) || e.Fonds.Contains(word, StringComparison.Ordinal),
            $"'{e.Title}' ({e.Fonds}) does not contain {word}"));
    }

    [Fact]
    public async Task Search_Pages_NeitherRepeatNorSkip()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var query = new CatalogueSearchQuery { Q = "档案", Limit = 37 };
        var first = await node.Api.SearchCatalogueAsync(query, Ct);
        var page = first;
        var pages = 0;
        while (true)
        {
            Assert.True(page.Entries.Count <= 37);
            foreach (var entry in page.Entries)
            {
                Assert.True(seen.Add(entry.Id), $"Entry {entry.Id} was returned twice.");
            }

            if (page.NextCursor is null || ++pages == 20)
            {
                break;
            }

            page = await node.Api.SearchCatalogueAsync(query with { Cursor = page.NextCursor }, Ct);
            Assert.Equal(first.Total, page.Total);
        }

        if (page.NextCursor is null)
        {
            Assert.Equal(first.Total, seen.Count);
        }
    }

    [Fact]
    public async Task Search_RankedBestFirst()
    {
        var result = await node.Api.SearchCatalogueAsync(new CatalogueSearchQuery { Q = "婚姻登记", Limit = 100 }, Ct);

        Assert.Equal(result.Entries.OrderByDescending(e => e.Score).Select(e => e.Score), result.Entries.Select(e => e.Score));
    }

    [Fact]
    public async Task Facets_SumToTheTotal()
    {
        var result = await node.Api.SearchCatalogueAsync(new CatalogueSearchQuery { Q = "档案" }, Ct);

        Assert.Equal(result.Total, result.Facets.Categories.Sum(f => f.Count));
        Assert.Equal(result.Total, result.Facets.Decades.Sum(f => f.Count));
        Assert.All(result.Facets.Categories, f => Assert.True(CatalogueCategory.TryParse(f.Value, out _, out _), f.Value));
        Assert.All(result.Facets.Decades, f => Assert.True(int.Parse(f.Value, System.Globalization.CultureInfo.InvariantCulture) % 10 == 0, f.Value));
    }

    [Fact]
    public async Task Filters_YearsAndCategory_AreApplied()
    {
        var all = await node.Api.SearchCatalogueAsync(new CatalogueSearchQuery(), Ct);
        var category = all.Facets.Categories.OrderByDescending(f => f.Count).First();

        var result = await node.Api.SearchCatalogueAsync(new CatalogueSearchQuery { From = 1970, To = 1989, Category = category.Value, Limit = 100 }, Ct);

        Assert.NotEmpty(result.Entries);
        Assert.All(result.Entries, e =>
        {
            Assert.InRange(e.Year, 1970, 1989);
            Assert.Equal(category.Value, e.Category.Code);
        });
        Assert.Equal(category.Value, Assert.Single(result.Facets.Categories).Value);
        Assert.All(result.Facets.Decades, f => Assert.Contains(f.Value, new[] { "1970", "1980" }));
    }

    [Fact]
    public async Task OnlyOpenEntries_AreSearchable()
    {
        // Records open 25 years after creation (Archives Law 2020, art. 27): nothing younger is in the open catalogue.
        var latestOpenYear = DateTime.UtcNow.Year - 25;

        var result = await node.Api.SearchCatalogueAsync(new CatalogueSearchQuery { From = latestOpenYear + 1, Limit = 100 }, Ct);

        Assert.Empty(result.Entries);
        Assert.Equal(0, result.Total);
        Assert.True(node.Info.RecordCounts.OpenCatalogueEntries < node.Info.RecordCounts.CatalogueEntries);
    }

    [Fact]
    public async Task Search_WordNotInCatalogue_FindsNothing()
    {
        var result = await node.Api.SearchCatalogueAsync(new CatalogueSearchQuery { Q = "量子计算机" }, Ct);

        Assert.Empty(result.Entries);
        Assert.Null(result.NextCursor);
    }
}

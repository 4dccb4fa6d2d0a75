using Archives.Contracts;
using Archives.Node.Catalogue;
using Archives.Node.Data;
using Microsoft.EntityFrameworkCore;

namespace Archives.Node.Tests.Catalogue;

public sealed class CatalogueSearchTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("婚姻")]
    [InlineData("知青")]
    [InlineData("档案")]
    [InlineData("招工")]
    public async Task Search_TwoCharacterWord_FindsEntriesContainingIt(string word)
    {
        var result = await node.Api.SearchCatalogueAsync(new() { Q = word, Limit = 100 }, Ct);

        Assert.True(result.Total > 0, $"nothing found for {word}");
        Assert.NotEmpty(result.Entries);
        Assert.All(result.Entries, e => Assert.True(e.Title.Contains(word, StringComparison.Ordinal) || e.Fonds.Contains(word, StringComparison.Ordinal), e.Title));
        // And every open entry whose title has the word is counted.
        var expected = await OpenCountAsync(i => i.Title.Contains(word) || i.FondsName.Contains(word));
        Assert.Equal(expected, result.Total);
    }

    [Fact]
    public async Task Search_FourCharacterWord_MatchesOnlyThatSequence()
    {
        var result = await node.Api.SearchCatalogueAsync(new() { Q = "土地承包", Limit = 100 }, Ct);

        Assert.NotEmpty(result.Entries);
        Assert.All(result.Entries, e => Assert.Contains("土地承包", e.Title, StringComparison.Ordinal));
        Assert.Equal(await OpenCountAsync(i => i.Title.Contains("土地承包")), result.Total);
    }

    [Fact]
    public async Task Search_OneCharacter_FindsEntriesContainingIt()
    {
        var result = await node.Api.SearchCatalogueAsync(new() { Q = "婚", Limit = 100 }, Ct);

        Assert.NotEmpty(result.Entries);
        Assert.All(result.Entries, e => Assert.Contains("婚", e.Title + e.Fonds, StringComparison.Ordinal));
        Assert.Equal(await OpenCountAsync(i => i.Title.Contains("婚") || i.FondsName.Contains("婚")), result.Total);
    }

    [Fact]
    public async Task Search_TwoTerms_BothMustMatch()
    {
        var both = await node.Api.SearchCatalogueAsync(new() { Q = "知青 安置", Limit = 100 }, Ct);
        var one = await node.Api.SearchCatalogueAsync(new() { Q = "知青", Limit = 1 }, Ct);

        Assert.NotEmpty(both.Entries);
        Assert.All(both.Entries, e => Assert.True(e.Title.Contains("知青", StringComparison.Ordinal) && e.Title.Contains("安置", StringComparison.Ordinal), e.Title));
        Assert.True(both.Total < one.Total);
    }

    [Fact]
    public async Task Search_WordNotInAnyTitle_FindsNothing()
    {
        var result = await node.Api.SearchCatalogueAsync(new() { Q = "鲲鹏" }, Ct);

        Assert.Equal(0, result.Total);
        Assert.Empty(result.Entries);
    }

    [Fact]
    public async Task Search_WordAcrossPunctuationAndDigits_DoesNotMatch()
    {
        // Titles like 常务会议纪要（1985年） put 要 and 年 side by side once punctuation and digits are
        // ignored; the index keeps the runs apart, so 纪要年 is not found while 纪要 is.
        var adjacentOnlyAcrossBoundary = await OpenCountAsync(i => i.Title.Contains("纪要（"));
        var across = await node.Api.SearchCatalogueAsync(new() { Q = "纪要年" }, Ct);
        var word = await node.Api.SearchCatalogueAsync(new() { Q = "纪要" }, Ct);

        Assert.True(adjacentOnlyAcrossBoundary > 0);
        Assert.Equal(0, across.Total);
        Assert.True(word.Total >= adjacentOnlyAcrossBoundary);
    }

    [Fact]
    public async Task Search_FullWidthAndCase_AreNormalised()
    {
        var ascii = await node.Api.SearchCatalogueAsync(new() { Q = "j004", Limit = 5 }, Ct);
        var fullWidth = await node.Api.SearchCatalogueAsync(new() { Q = "Ｊ００４", Limit = 5 }, Ct);

        Assert.True(ascii.Total > 0);
        Assert.Equal(ascii.Total, fullWidth.Total);
        Assert.All(ascii.Entries, e => Assert.StartsWith("J004", e.Fonds, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("知青\"")]
    [InlineData("\"知青")]
    [InlineData("知青*")]
    [InlineData("-知青")]
    [InlineData("知青 NEAR")]
    [InlineData("(知青")]
    [InlineData("知青:")]
    [InlineData("{知青}")]
    [InlineData("知青 OR")]
    [InlineData("知青^")]
    public async Task Search_Fts5SyntaxInQuery_IsIgnoredNotAnError(string q)
    {
        var plain = await node.Api.SearchCatalogueAsync(new() { Q = "知青", Limit = 5 }, Ct);

        using var response = await node.Http.GetAsync($"/node/v1/catalog/search?q={Uri.EscapeDataString(q)}&limit=5", Ct);

        Assert.True((int)response.StatusCode < 500, $"{q} gave {(int)response.StatusCode}");
        if (q.Contains("NEAR", StringComparison.Ordinal) || q.Contains("OR", StringComparison.Ordinal))
        {
            // A word like NEAR is searched as a word, never as an operator.
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            return;
        }

        var result = await node.Api.SearchCatalogueAsync(new() { Q = q, Limit = 5 }, Ct);
        Assert.Equal(plain.Total, result.Total);
    }

    [Fact]
    public async Task Search_RankedResults_OrderedByScoreThenId()
    {
        var result = await node.Api.SearchCatalogueAsync(new() { Q = "档案", Limit = 100 }, Ct);

        for (var i = 1; i < result.Entries.Count; i++)
        {
            var (previous, current) = (result.Entries[i - 1], result.Entries[i]);
            Assert.True(previous.Score > current.Score || (previous.Score == current.Score && long.Parse(previous.Id) < long.Parse(current.Id)));
        }
    }

    [Fact]
    public async Task Search_ShortTitleMostlyTheWord_RanksAboveLongTitle()
    {
        var result = await node.Api.SearchCatalogueAsync(new() { Q = "档案", Limit = 100 }, Ct);
        var top = result.Entries[0];

        // The best entries name 档案 twice (机关档案室档案整理情况报告) or in a short title.
        Assert.True(top.Title.Split("档案").Length - 1 >= 2 || top.Title.Length <= 12, top.Title);
        Assert.True(top.Score > result.Entries[^1].Score);
    }

    [Fact]
    public async Task Search_WithoutQuery_NewestFirstThenId()
    {
        var result = await node.Api.SearchCatalogueAsync(new() { Limit = 100 }, Ct);

        Assert.Equal(100, result.Entries.Count);
        for (var i = 1; i < result.Entries.Count; i++)
        {
            var (previous, current) = (result.Entries[i - 1], result.Entries[i]);
            Assert.True(previous.Year > current.Year || (previous.Year == current.Year && long.Parse(previous.Id) < long.Parse(current.Id)));
        }
    }

    [Fact]
    public async Task Search_NeverReturnsClosedOrNotYetOpenEntries()
    {
        var closed = await node.WithDbAsync(async db =>
        {
            var year = NodeClock.CurrentYear(TimeProvider.System);
            return (await db.CatalogueItems.Where(i => i.OpensIn == null || i.OpensIn > year).Select(i => i.Id).ToListAsync(Ct)).ToHashSet();
        });
        Assert.NotEmpty(closed);

        foreach (var q in new string?[] { null, "档案", "婚姻", "知青", "J004" })
        {
            var seen = await AllPagesAsync(new() { Q = q, Limit = 100 });
            Assert.DoesNotContain(seen, e => closed.Contains(long.Parse(e.Id)));
            Assert.All(seen, e => Assert.True(e.Year <= NodeClock.CurrentYear(TimeProvider.System) - 25));
        }

        var all = await node.Api.SearchCatalogueAsync(new() { Limit = 1 }, Ct);
        Assert.Equal(3000 - closed.Count, all.Total);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("档案")]
    [InlineData("婚")]
    public async Task Search_FacetsSumToTotal(string? q)
    {
        var result = await node.Api.SearchCatalogueAsync(new() { Q = q, Limit = 1 }, Ct);

        Assert.True(result.Total > 0);
        Assert.Equal(result.Total, result.Facets.Categories.Sum(f => f.Count));
        Assert.Equal(result.Total, result.Facets.Decades.Sum(f => f.Count));
        Assert.All(result.Facets.Categories, f => Assert.True(CatalogueCategory.TryParse(f.Value, out _, out _)));
        Assert.All(result.Facets.Decades, f => Assert.Equal(0, int.Parse(f.Value) % 10));
    }

    [Fact]
    public async Task Search_CategoryAndYearFilters_Apply()
    {
        var result = await node.Api.SearchCatalogueAsync(new() { Q = "档案", Category = "specialised", From = 1960, To = 1979, Limit = 100 }, Ct);

        Assert.NotEmpty(result.Entries);
        Assert.All(result.Entries, e =>
        {
            Assert.Equal(CatalogueCategory.Specialised, e.Category);
            Assert.InRange(e.Year, 1960, 1979);
        });
        Assert.Equal([new FacetCount("specialised", result.Total)], result.Facets.Categories);
        Assert.All(result.Facets.Decades, f => Assert.Contains(f.Value, new[] { "1960", "1970" }));
    }

    [Fact]
    public async Task Search_PagingWithoutQuery_VisitsEveryOpenEntryOnce()
    {
        var first = await node.Api.SearchCatalogueAsync(new() { Limit = 1 }, Ct);
        var all = await AllPagesAsync(new() { Limit = 97 });

        Assert.Equal(first.Total, all.Count);
        Assert.Equal(all.Count, all.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Search_EntriesCarryFondsReferenceAndCategory()
    {
        var result = await node.Api.SearchCatalogueAsync(new() { Q = "婚姻登记", Limit = 20 }, Ct);

        Assert.All(result.Entries, e =>
        {
            Assert.Matches(@"^J\d{3} \S+", e.Fonds);
            Assert.StartsWith(e.Fonds[..4], e.ArchivalReference.Value, StringComparison.Ordinal);
            Assert.InRange(e.Year, 1949, 2025);
        });
    }

    private async Task<List<CatalogueEntry>> AllPagesAsync(CatalogueSearchQuery query)
    {
        var entries = new List<CatalogueEntry>();
        string? cursor = null;
        do
        {
            var page = await node.Api.SearchCatalogueAsync(query with { Cursor = cursor }, Ct);
            entries.AddRange(page.Entries);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return entries;
    }

    private Task<long> OpenCountAsync(System.Linq.Expressions.Expression<Func<CatalogueItem, bool>> predicate) => node.WithDbAsync(db =>
    {
        var year = NodeClock.CurrentYear(TimeProvider.System);
        return db.CatalogueItems.Where(i => i.OpensIn <= year).Where(predicate).LongCountAsync(Ct);
    });
}

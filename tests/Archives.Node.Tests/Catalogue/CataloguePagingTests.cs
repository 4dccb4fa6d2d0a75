using Archives.Contracts;
using Archives.Node.Catalogue;
using Archives.Testing;

namespace Archives.Node.Tests.Catalogue;

/// <summary>A node of its own: these tests add entries.</summary>
public sealed class PagingNodeFixture(IdentityServerFixture identity) : NodeFixture(identity);

public sealed class CataloguePagingTests(PagingNodeFixture node) : IClassFixture<PagingNodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Paging_EntriesAddedBetweenPages_NoRepeatsAndNoSkips()
    {
        // Arrange: 25 entries of a word no seeded title has, with titles of different lengths.
        for (var i = 0; i < 25; i++)
        {
            await AddAsync($"{new string('甲', i % 7)}鲲鹏工程档案第{i}卷", 1970 + i % 20);
        }

        var before = await AllPagesAsync("鲲鹏 档案", limit: 1000);
        Assert.Equal(25, before.Count);

        // Act: page 1, then entries that would rank first (short titles), then the other pages.
        var page1 = await node.Api.SearchCatalogueAsync(new() { Q = "鲲鹏 档案", Limit = 10 }, Ct);
        for (var i = 0; i < 10; i++)
        {
            await AddAsync("鲲鹏档案", 1980);
        }

        var seen = page1.Entries.ToList();
        var cursor = page1.NextCursor;
        while (cursor is not null)
        {
            var page = await node.Api.SearchCatalogueAsync(new() { Q = "鲲鹏 档案", Limit = 10, Cursor = cursor }, Ct);
            seen.AddRange(page.Entries);
            Assert.Equal(25, page.Total);
            cursor = page.NextCursor;
        }

        // Assert: exactly the entries of the query when page 1 was served, in the same order.
        Assert.Equal(before.Select(e => e.Id), seen.Select(e => e.Id));
        var after = await node.Api.SearchCatalogueAsync(new() { Q = "鲲鹏 档案", Limit = 1 }, Ct);
        Assert.Equal(35, after.Total);
        Assert.Equal("鲲鹏档案", after.Entries[0].Title);
    }

    [Fact]
    public async Task Paging_BrowsingWhileEntriesAdded_NoRepeatsAndNoSkips()
    {
        var before = await AllPagesAsync(null, limit: 100, category: "photographs");
        var page1 = await node.Api.SearchCatalogueAsync(new() { Category = "photographs", Limit = 7 }, Ct);
        await AddAsync("新增照片", 2000, CatalogueCategory.Photographs);

        var seen = page1.Entries.ToList();
        var cursor = page1.NextCursor;
        while (cursor is not null)
        {
            var page = await node.Api.SearchCatalogueAsync(new() { Category = "photographs", Limit = 50, Cursor = cursor }, Ct);
            seen.AddRange(page.Entries);
            cursor = page.NextCursor;
        }

        Assert.Equal(before.Select(e => e.Id), seen.Select(e => e.Id));
    }

    [Fact]
    public async Task Search_AddedEntry_FoundByItsWordsButNotAcrossItsPunctuation()
    {
        await AddAsync("鹞鹰婚姻登记，鸬鹚档案整理", 1990);

        var words = await node.Api.SearchCatalogueAsync(new() { Q = "鹞鹰 鸬鹚" }, Ct);
        var across = await node.Api.SearchCatalogueAsync(new() { Q = "记鸬" }, Ct);

        Assert.Single(words.Entries);
        Assert.Equal(0, across.Total);
    }

    [Fact]
    public async Task Search_AddedEntryNotYetOpen_IsNotFound()
    {
        await AddAsync("鹈鹕近年文件", 2015, opensIn: 2040);
        await AddAsync("鹈鹕控制使用文件", 1970, opensIn: null);

        var result = await node.Api.SearchCatalogueAsync(new() { Q = "鹈鹕" }, Ct);

        Assert.Equal(0, result.Total);
        Assert.Empty(result.Entries);
    }

    private Task AddAsync(string title, int year, CatalogueCategory? category = null, int? opensIn = -1)
        => node.WithDbAsync(async db =>
        {
            await CatalogueIndex.AddAsync(db, new CatalogueItem
            {
                FondsCode = "J099",
                FondsName = "测试全宗",
                ArchivalReference = $"J099-WS·{year}-0001",
                Title = title,
                Year = year,
                Category = (category ?? CatalogueCategory.Documents).Code,
                OpensIn = opensIn == -1 ? year + 25 : opensIn,
            }, Ct);
            return true;
        });

    private async Task<List<CatalogueEntry>> AllPagesAsync(string? q, int limit, string? category = null)
    {
        var entries = new List<CatalogueEntry>();
        string? cursor = null;
        do
        {
            var page = await node.Api.SearchCatalogueAsync(new() { Q = q, Limit = Math.Min(limit, NodeContract.MaxLimit), Category = category, Cursor = cursor }, Ct);
            entries.AddRange(page.Entries);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return entries;
    }
}

using System.Globalization;
using System.Text;
using Archives.Contracts;
using Archives.Node.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Archives.Node.Catalogue;

/// <summary>
/// Runs a catalogue search: one page, the total and the facets, over open entries only.
/// </summary>
/// <remarks>
/// <para>
/// Ranking: the score is computed per entry from the entry and the query alone, never from
/// corpus-wide statistics. bm25 weighs terms by inverse document frequency, which moves every
/// time an entry is added, so pages served a minute apart could disagree and a cursor would
/// repeat or skip entries. Here each query part earns 8 points per occurrence in the title (at
/// most 3 counted) plus 3 when it is in the fonds' creator, at least 1 (it matched somewhere,
/// e.g. in the 档号), and the sum is scaled by 1000 / (10 + title length) so that a short title
/// that is mostly the query ranks above a long one that mentions it. Integer arithmetic, so a
/// cursor can carry the score exactly. Order: score descending, then id.
/// </para>
/// <para>
/// Stability: page 1 fixes a watermark (the highest id then) and the year that decides
/// openness; later pages see only entries up to the watermark, open in that year, after the
/// last (score, id): entries added or opened meanwhile never shift a page. The total and facets
/// use the same snapshot.
/// </para>
/// </remarks>
internal static class CatalogueSearch
{
    public static async Task<CatalogueSearchResult> SearchAsync(NodeDbContext db, IMemoryCache cache, CatalogueQuery query, int currentYear, CancellationToken cancellationToken)
    {
        long watermark;
        int openYear;
        if (query.Cursor is { } cursor)
        {
            watermark = cursor.Watermark;
            // Note: never later than now, so a forged cursor cannot reveal an entry that is not yet open.
            openYear = Math.Min(cursor.OpenYear, currentYear);
        }
        else
        {
            watermark = await db.CatalogueItems.MaxAsync(i => (long?)i.Id, cancellationToken) ?? 0;
            openYear = currentYear;
        }

        var hits = query.Ranked
            ? await RankedPageAsync(db, query, watermark, openYear, cancellationToken)
            : await BrowsePageAsync(db, query, watermark, openYear, cancellationToken);

        // The facets of a snapshot (query, watermark, open-year) never change: entries below the
        // watermark are only ever added, not edited. Page 1 computes them; later pages reuse them.
        var key = (query.Hash, watermark, openYear);
        if (query.Cursor is null || !cache.TryGetValue(key, out List<FacetRow>? facets) || facets is null)
        {
            facets = query.Ranked
                ? await RankedFacetsAsync(db, query, watermark, openYear, cancellationToken)
                : await BrowseFacetsAsync(db, query, watermark, openYear, cancellationToken);
            cache.Set(key, facets, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        }

        string? next = null;
        if (hits.Count > query.Limit)
        {
            hits.RemoveRange(query.Limit, hits.Count - query.Limit);
            var last = hits[^1];
            next = new CatalogueCursor(query.Ranked, openYear, watermark, query.Ranked ? last.Score : last.Year, last.Id, query.Hash).Encode();
        }

        return new CatalogueSearchResult
        {
            Entries = [.. hits.Select(ToEntry)],
            Total = facets.Sum(f => f.Count),
            Facets = new CatalogueFacets
            {
                Categories = [.. facets.GroupBy(f => f.Category).Select(g => new FacetCount(g.Key, g.Sum(f => f.Count)))
                    .OrderByDescending(f => f.Count).ThenBy(f => f.Value, StringComparer.Ordinal)],
                Decades = [.. facets.GroupBy(f => f.Year / 10 * 10).OrderBy(g => g.Key)
                    .Select(g => new FacetCount(g.Key.ToString(CultureInfo.InvariantCulture), g.Sum(f => f.Count)))],
            },
            NextCursor = next,
        };
    }

    private static CatalogueEntry ToEntry(CatalogueHit hit) => new()
    {
        Id = hit.Id.ToString(CultureInfo.InvariantCulture),
        Fonds = $"{hit.FondsCode} {hit.FondsName}",
        ArchivalReference = ArchivalReference.Parse(hit.ArchivalReference),
        Title = hit.Title,
        Year = hit.Year,
        Category = CatalogueCategory.Parse(hit.Category),
        Score = hit.Score,
    };

    private static IQueryable<CatalogueItem> Browse(NodeDbContext db, CatalogueQuery query, long watermark, int openYear)
    {
        var matching = db.CatalogueItems.Where(i => i.OpensIn <= openYear && i.Id <= watermark);
        if (query.From is { } from)
        {
            matching = matching.Where(i => i.Year >= from);
        }

        if (query.To is { } to)
        {
            matching = matching.Where(i => i.Year <= to);
        }

        if (query.Category is { } category)
        {
            matching = matching.Where(i => i.Category == category.Code);
        }

        return matching;
    }

    private static Task<List<FacetRow>> BrowseFacetsAsync(NodeDbContext db, CatalogueQuery query, long watermark, int openYear, CancellationToken cancellationToken)
        => Browse(db, query, watermark, openYear)
            .GroupBy(i => new { i.Category, i.Year })
            .Select(g => new FacetRow { Category = g.Key.Category, Year = g.Key.Year, Count = g.LongCount() })
            .ToListAsync(cancellationToken);

    private static async Task<List<CatalogueHit>> BrowsePageAsync(NodeDbContext db, CatalogueQuery query, long watermark, int openYear, CancellationToken cancellationToken)
    {
        var page = Browse(db, query, watermark, openYear);
        if (query.Cursor is { } cursor)
        {
            var lastYear = (int)cursor.SortKey;
            var lastId = cursor.LastId;
            page = page.Where(i => i.Year < lastYear || (i.Year == lastYear && i.Id > lastId));
        }

        return await page
            .OrderByDescending(i => i.Year).ThenBy(i => i.Id)
            .Take(query.Limit + 1)
            .Select(i => new CatalogueHit
            {
                Id = i.Id,
                FondsCode = i.FondsCode,
                FondsName = i.FondsName,
                ArchivalReference = i.ArchivalReference,
                Title = i.Title,
                Year = i.Year,
                Category = i.Category,
                Score = 0,
            })
            .ToListAsync(cancellationToken);
    }

    /// <summary>The FROM and WHERE of a ranked search, with new parameter objects (a SqliteParameter belongs to one command).</summary>
    private static List<SqliteParameter> RankedFilters(StringBuilder sql, CatalogueQuery query, long watermark, int openYear)
    {
        var parameters = new List<SqliteParameter>
        {
            new("$match", CjkBigramAnalyzer.ToMatchExpression(query.Parts)),
            new("$openYear", openYear),
            new("$watermark", watermark),
        };
        sql.Append($"""
            FROM {CatalogueIndex.FtsTable} CROSS JOIN {CatalogueIndex.ItemsTable} AS e ON e.Id = {CatalogueIndex.FtsTable}.rowid
            WHERE {CatalogueIndex.FtsTable} MATCH $match AND e.OpensIn <= $openYear AND e.Id <= $watermark
            """);
        if (query.From is { } from)
        {
            sql.Append(" AND e.Year >= $from");
            parameters.Add(new("$from", from));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND e.Year <= $to");
            parameters.Add(new("$to", to));
        }

        if (query.Category is { } category)
        {
            sql.Append(" AND e.Category = $category");
            parameters.Add(new("$category", category.Code));
        }

        return parameters;
    }

    private static Task<List<FacetRow>> RankedFacetsAsync(NodeDbContext db, CatalogueQuery query, long watermark, int openYear, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT e.Category AS Category, e.Year AS Year, count(*) AS Count ");
        var parameters = RankedFilters(sql, query, watermark, openYear);
        sql.Append(" GROUP BY e.Category, e.Year");
        return db.Database.SqlQueryRaw<FacetRow>(sql.ToString(), [.. parameters]).ToListAsync(cancellationToken);
    }

    private static Task<List<CatalogueHit>> RankedPageAsync(NodeDbContext db, CatalogueQuery query, long watermark, int openYear, CancellationToken cancellationToken)
    {
        var parts = query.Parts;
        var pageSql = new StringBuilder("SELECT * FROM (SELECT e.Id, e.FondsCode, e.FondsName, e.ArchivalReference, e.Title, e.Year, e.Category, ");
        var pageParameters = new List<SqliteParameter>();
        var points = new List<string>();
        for (var i = 0; i < parts.Count; i++)
        {
            var name = $"$t{i}";
            pageParameters.Add(new(name, parts[i].Text));
            // Words of letters and digits compare case-insensitively (SQLite's lower() folds ASCII).
            var title = parts[i].IsCjk ? "e.Title" : "lower(e.Title)";
            var fonds = parts[i].IsCjk ? "e.FondsName" : "lower(e.FondsName)";
            points.Add($"max(1, 8 * min(3, (length({title}) - length(replace({title}, {name}, ''))) / length({name})) + 3 * (instr({fonds}, {name}) > 0))");
        }

        pageSql.Append($"(1000 * ({string.Join(" + ", points)})) / (10 + length(e.Title)) AS Score ");
        pageParameters.AddRange(RankedFilters(pageSql, query, watermark, openYear));
        pageSql.Append(") AS h");
        if (query.Cursor is { } cursor)
        {
            pageSql.Append(" WHERE h.Score < $lastScore OR (h.Score = $lastScore AND h.Id > $lastId)");
            pageParameters.Add(new("$lastScore", cursor.SortKey));
            pageParameters.Add(new("$lastId", cursor.LastId));
        }

        pageSql.Append(" ORDER BY h.Score DESC, h.Id LIMIT $take");
        pageParameters.Add(new("$take", query.Limit + 1));

        return db.Database.SqlQueryRaw<CatalogueHit>(pageSql.ToString(), [.. pageParameters]).ToListAsync(cancellationToken);
    }

    /// <summary>One row of a page, as the search query returns it.</summary>
    internal sealed class CatalogueHit
    {
        public long Id { get; init; }

        public required string FondsCode { get; init; }

        public required string FondsName { get; init; }

        public required string ArchivalReference { get; init; }

        public required string Title { get; init; }

        public int Year { get; init; }

        public required string Category { get; init; }

        public long Score { get; init; }
    }

    /// <summary>Matching entries of one category in one year.</summary>
    internal sealed class FacetRow
    {
        public required string Category { get; init; }

        public int Year { get; init; }

        public long Count { get; init; }
    }
}

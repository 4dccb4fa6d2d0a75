using Archives.Node.Data;
using Microsoft.EntityFrameworkCore;

namespace Archives.Node.Catalogue;

/// <summary>
/// The catalogue's full-text index: an FTS5 table beside <see cref="CatalogueItem"/>, keyed by the
/// item's id, holding the tokens of <see cref="CjkBigramAnalyzer"/>.
/// </summary>
internal static class CatalogueIndex
{
    public const string ItemsTable = "catalogue_items";

    public const string FtsTable = "catalogue_fts";

    /// <summary>
    /// Contentless (<c>content=''</c>): the text lives in <see cref="ItemsTable"/>, the index only
    /// answers which rows match. <c>columnsize=0</c>: the node ranks by its own score, not bm25,
    /// so column sizes are not kept. The <c>ascii</c> tokenizer splits on spaces only for the
    /// non-ASCII tokens the analyzer writes (see there).
    /// </summary>
    public const string CreateFtsTable =
        $"CREATE VIRTUAL TABLE {FtsTable} USING fts5(terms, chars, content='', columnsize=0, tokenize='ascii')";

    public const string InsertFts = $"INSERT INTO {FtsTable} (rowid, terms, chars) VALUES ($id, $terms, $chars)";

    /// <summary>The fields a keyword can match: the title, the fonds (code and creator) and the 档号.</summary>
    public static (string Terms, string Chars) Tokens(CatalogueItem item)
        => CjkBigramAnalyzer.Index(item.Title, item.FondsName, item.FondsCode, item.ArchivalReference);

    /// <summary>Adds an entry and indexes it, in one transaction. The id is assigned by the database.</summary>
    public static async Task AddAsync(NodeDbContext db, CatalogueItem item, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.CatalogueItems.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        var (terms, chars) = Tokens(item);
        await db.Database.ExecuteSqlAsync($"INSERT INTO catalogue_fts (rowid, terms, chars) VALUES ({item.Id}, {terms}, {chars})", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

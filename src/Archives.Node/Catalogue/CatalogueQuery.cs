using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Archives.Contracts;
using Part = Archives.Node.Catalogue.CjkBigramAnalyzer.Part;

namespace Archives.Node.Catalogue;

/// <summary>A validated catalogue search: keywords parsed for the index, filters, the cursor and the page size.</summary>
internal sealed record CatalogueQuery(
    IReadOnlyList<IReadOnlyList<Part>> Words,
    int? From,
    int? To,
    CatalogueCategory? Category,
    CatalogueCursor? Cursor,
    int Limit)
{
    /// <summary>Ranked by score when there are keywords; newest first when there are none.</summary>
    public bool Ranked => Words.Count > 0;

    public IReadOnlyList<Part> Parts => [.. Words.SelectMany(w => w)];

    /// <summary>A hash of everything that selects the entries (not the page size): a cursor only continues the query it came from.</summary>
    public ulong Hash => HashOf(Words, From, To, Category);

    /// <summary>
    /// Parses the raw query-string values, so that every bad value is a 400 naming its parameter
    /// (binding them as <c>int?</c> would fail before the handler runs, without naming the field).
    /// </summary>
    public static CatalogueQuery? TryParse(string? q, string? from, string? to, string? category, string? cursor, string? limit, Dictionary<string, string[]> errors)
    {
        IReadOnlyList<IReadOnlyList<Part>> words = [];
        if (!string.IsNullOrWhiteSpace(q))
        {
            if (q.Length > NodeContract.MaxQueryLength)
            {
                errors["q"] = [$"q has at most {NodeContract.MaxQueryLength} characters."];
            }
            else
            {
                words = CjkBigramAnalyzer.ParseQuery(q);
                if (words.Count == 0)
                {
                    errors["q"] = ["q has no letters, digits or Chinese characters to search for."];
                }
                else if (words.Sum(w => w.Count) > CjkBigramAnalyzer.MaxTerms)
                {
                    errors["q"] = [$"q has at most {CjkBigramAnalyzer.MaxTerms} words."];
                }
            }
        }

        var fromYear = ParseYear("from", from, errors);
        var toYear = ParseYear("to", to, errors);
        if (fromYear > toYear)
        {
            errors["from"] = ["from is after to."];
        }

        CatalogueCategory? parsedCategory = null;
        if (!string.IsNullOrWhiteSpace(category))
        {
            if (category.Length > 32)
            {
                errors["category"] = [CategoryError()];
            }
            else if (!CatalogueCategory.TryParse(category, out parsedCategory, out var error))
            {
                errors["category"] = [error];
            }
        }

        var pageSize = NodeContract.DefaultLimit;
        if (limit is not null)
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > NodeContract.MaxLimit)
            {
                errors["limit"] = [$"limit is a whole number from 1 to {NodeContract.MaxLimit}."];
            }
        }

        CatalogueCursor? parsedCursor = null;
        if (cursor is not null && errors.Count == 0)
        {
            if (cursor.Length > NodeContract.MaxCursorLength || !CatalogueCursor.TryDecode(cursor, out parsedCursor))
            {
                errors["cursor"] = ["cursor is not a cursor this node issued."];
            }
            else if (parsedCursor.QueryHash != HashOf(words, fromYear, toYear, parsedCategory) || parsedCursor.Ranked != words.Count > 0)
            {
                errors["cursor"] = ["cursor belongs to another query: repeat the query of the page it came from (q, from, to, category)."];
            }
        }

        return errors.Count > 0 ? null : new CatalogueQuery(words, fromYear, toYear, parsedCategory, parsedCursor, pageSize);
    }

    private static string CategoryError()
    {
        CatalogueCategory.TryParse(null, out _, out var error);
        return error!;
    }

    private static int? ParseYear(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var year) || year < NodeContract.MinYear || year > NodeContract.MaxYear)
        {
            errors[name] = [$"{name} is a year from {NodeContract.MinYear} to {NodeContract.MaxYear}."];
            return null;
        }

        return year;
    }

    private static ulong HashOf(IReadOnlyList<IReadOnlyList<Part>> words, int? from, int? to, CatalogueCategory? category)
    {
        var canonical = string.Join('\n', CjkBigramAnalyzer.Canonical(words), from, to, category?.Code);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}

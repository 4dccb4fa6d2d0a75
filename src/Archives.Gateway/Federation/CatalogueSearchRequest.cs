using System.Globalization;
using System.Text;
using Archives.Contracts;
using Archives.Gateway.Registry;
using Microsoft.Extensions.Primitives;

namespace Archives.Gateway.Federation;

/// <summary>A federated catalogue request: the query, the page size and where to continue.</summary>
internal sealed record CatalogueSearchRequest(CatalogueQuery Query, int Limit, CatalogueCursor? Cursor, string? RawCursor)
{
    /// <summary>Validates the query string as bound, every problem under the name of its parameter; never throws on bad input.</summary>
    public static bool TryParse(
        CatalogueSearchParameters query,
        NodeRegistry registry,
        FederationOptions options,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CatalogueSearchRequest? request,
        out Dictionary<string, string[]> errors)
    {
        errors = [];
        var problems = errors;
        request = null;

        string? Single(StringValues? given, string name)
        {
            var values = given ?? StringValues.Empty;
            if (values.Count > 1)
            {
                problems[name] = [$"'{name}' may be given once."];
                return null;
            }

            var value = values.Count == 1 ? values[0]?.Trim() : null;
            return string.IsNullOrEmpty(value) ? null : value;
        }

        int? Year(StringValues? given, string name)
        {
            var text = Single(given, name);
            if (text is null)
            {
                return null;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year)
                || year < NodeContract.MinYear || year > NodeContract.MaxYear)
            {
                problems[name] = [$"'{name}' is a year from {NodeContract.MinYear} to {NodeContract.MaxYear}."];
                return null;
            }

            return year;
        }

        var q = Single(query.Q, "q");
        if (q is not null && !IsUnicodeText(q))
        {
            errors["q"] = ["'q' is not valid Unicode text."];
            q = null;
        }
        else if (q is not null)
        {
            q = string.Join(' ', q.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (q.Length > NodeContract.MaxQueryLength)
            {
                errors["q"] = [$"'q' has at most {NodeContract.MaxQueryLength} characters."];
            }
            else if (q.Any(char.IsControl))
            {
                errors["q"] = ["'q' may not contain control characters."];
            }
        }

        var from = Year(query.From, "from");
        var to = Year(query.To, "to");
        if (from > to)
        {
            errors["from"] = ["'from' is after 'to'."];
        }

        CatalogueCategory? category = null;
        if (Single(query.Category, "category") is { } categoryText && !CatalogueCategory.TryParse(categoryText, out category, out var categoryError))
        {
            errors["category"] = [categoryError];
        }

        RegionPrefix? region = null;
        if (Single(query.Region, "region") is { } regionText && !RegionPrefix.TryParse(regionText, out region, out var regionError))
        {
            errors["region"] = [regionError];
        }

        var nodes = new SortedSet<string>(StringComparer.Ordinal);
        if (Single(query.Nodes, "nodes") is { } nodesText)
        {
            var ids = nodesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length > options.MaxNodesPerRequest)
            {
                errors["nodes"] = [$"'nodes' names at most {options.MaxNodesPerRequest} nodes."];
            }
            else
            {
                var unknown = ids.Where(id => !registry.TryGetNode(id, out _)).Take(5).Select(id => id.Length > 16 ? id[..16] + "…" : id).ToList();
                if (unknown.Count > 0)
                {
                    errors["nodes"] = [$"Unknown node ids: {string.Join(", ", unknown)}."];
                }

                // The registry finds an id in any case; the query holds the registry's own, which selection matches exactly.
                nodes.UnionWith(ids.Select(id => registry.TryGetNode(id, out var node) ? node.NodeId : id));
            }
        }

        int limit = options.DefaultLimit;
        if (Single(query.Limit, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > options.MaxLimit))
        {
            errors["limit"] = [$"'limit' is from 1 to {options.MaxLimit}."];
        }

        var catalogueQuery = new CatalogueQuery(q, from, to, category, region, [.. nodes]);

        CatalogueCursor? cursor = null;
        var rawCursor = Single(query.Cursor, "cursor");
        if (rawCursor is not null && !errors.ContainsKey("cursor")
            && !CatalogueCursor.TryDecode(rawCursor, catalogueQuery.Fingerprint, options.MaxCursorLength, out cursor, out var cursorError))
        {
            errors["cursor"] = [cursorError];
        }

        if (errors.Count > 0)
        {
            return false;
        }

        request = new CatalogueSearchRequest(catalogueQuery, limit, cursor, rawCursor);
        return true;

        // Normalize throws on a lone surrogate. Kestrel never decodes a query to one, but a caller may hand one in.
        static bool IsUnicodeText(ReadOnlySpan<char> text)
        {
            while (!text.IsEmpty)
            {
                if (Rune.DecodeFromUtf16(text, out _, out var used) != System.Buffers.OperationStatus.Done)
                {
                    return false;
                }

                text = text[used..];
            }

            return true;
        }
    }
}

using System.Globalization;
using Archives.Contracts;

namespace Archives.Gateway.Tests.Fixtures;

/// <summary>Test data for open-catalogue searches.</summary>
public static class Catalogue
{
    /// <summary><paramref name="count"/> entries titled "{word} n", scores falling with n, years from 1950.</summary>
    public static IReadOnlyList<CatalogueEntry> Entries(string nodeId, int count, string word = "档案", CatalogueCategory? category = null)
        => [.. Enumerable.Range(1, count).Select(i => new CatalogueEntry
        {
            Id = $"{nodeId}-{i:D4}",
            Fonds = "J001 测试全宗",
            ArchivalReference = ArchivalReference.Parse($"J001-WS·{1950 + (i % 60)}-{i:D4}"),
            Title = $"{word} {i.ToString(CultureInfo.InvariantCulture)}",
            Year = 1950 + (i % 60),
            Category = category ?? (i % 2 == 0 ? CatalogueCategory.Documents : CatalogueCategory.Photographs),
            Score = 100.0 - i * 0.5 + (nodeId.GetHashCode(StringComparison.Ordinal) % 7),
        })];
}

using Archives.Contracts;

namespace Archives.Node.Seeding;

/// <summary>One row of the embedded <c>divisions-yrd.csv</c> (see <c>divisions-yrd.README.md</c> beside it).</summary>
internal sealed record Division(string Code, string Name, DivisionLevel Level, string? Parent);

/// <summary>The administrative divisions of Shanghai, Jiangsu, Zhejiang and Anhui, from the embedded list.</summary>
internal static class Divisions
{
    private static readonly Lazy<IReadOnlyList<Division>> Rows = new(Load);

    public static IReadOnlyList<Division> All => Rows.Value;

    public static Division? Find(string code) => All.FirstOrDefault(d => d.Code == code);

    /// <summary>County-level units within a division (the division itself when it is one), in code order.</summary>
    public static IReadOnlyList<Division> CountiesWithin(DivisionCode division)
    {
        var prefix = division.SignificantPrefix;
        return [.. All.Where(d => d.Level == DivisionLevel.County && d.Code.StartsWith(prefix, StringComparison.Ordinal))];
    }

    /// <summary>The units directly under a division (cities of a province, counties of a city); for Shanghai, its districts.</summary>
    public static IReadOnlyList<Division> Children(DivisionCode division)
    {
        var children = All.Where(d => d.Parent == division.Value && d.Name != "市辖区").ToList();
        if (children.Count == 0 || division.Value == "310000")
        {
            // Shanghai's prefecture level is the placeholder 市辖区: its districts are the real children.
            children = [.. CountiesWithin(division).Where(d => d.Code != division.Value)];
        }

        return children;
    }

    private static List<Division> Load()
    {
        using var stream = typeof(Divisions).Assembly.GetManifestResourceStream("Archives.Node.Seeding.divisions-yrd.csv")
            ?? throw new InvalidOperationException("The embedded division list is missing.");
        using var reader = new StreamReader(stream);
        var rows = new List<Division>();
        reader.ReadLine(); // header
        while (reader.ReadLine() is { } line)
        {
            var cells = line.Split(',');
            if (cells.Length < 4)
            {
                continue;
            }

            var level = cells[2] switch
            {
                "province" => DivisionLevel.Province,
                "city" => DivisionLevel.City,
                _ => DivisionLevel.County,
            };
            rows.Add(new Division(cells[0], cells[1], level, cells[3].Length == 0 ? null : cells[3]));
        }

        return rows;
    }
}

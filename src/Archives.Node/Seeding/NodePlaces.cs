using Archives.Contracts;

namespace Archives.Node.Seeding;

/// <summary>A fonds (全宗): the records of one creating body, with the years it existed.</summary>
/// <param name="Code">全宗号, e.g. <c>J012</c>.</param>
/// <param name="Name">The creator, e.g. 杭州市民政局.</param>
/// <param name="Key">Which kind of body it is, for choosing topics.</param>
/// <param name="From">The first year it created records.</param>
/// <param name="To">The last year it created records.</param>
internal sealed record Fonds(string Code, string Name, string Key, int From, int To);

/// <summary>The places and fonds of one node, derived from its division code alone (so the same for every seed).</summary>
internal sealed class NodePlaces
{
    private NodePlaces(DivisionCode division, string name, IReadOnlyList<Division> children, IReadOnlyList<Division> counties, IReadOnlyList<Fonds> fonds)
    {
        Division = division;
        Name = name;
        Children = children;
        Counties = counties;
        Fonds = fonds;
    }

    public DivisionCode Division { get; }

    /// <summary>The division's name (杭州市, 浙江省).</summary>
    public string Name { get; }

    /// <summary>The units directly under the division (its districts and counties, or a province's cities).</summary>
    public IReadOnlyList<Division> Children { get; }

    /// <summary>County-level units within the division: where its subjects were born.</summary>
    public IReadOnlyList<Division> Counties { get; }

    public IReadOnlyList<Fonds> Fonds { get; }

    public Fonds FondsOf(string key) => Fonds.First(f => f.Key == key);

    public static NodePlaces For(DivisionCode division, string fallbackName)
    {
        var name = Divisions.Find(division.Value)?.Name ?? fallbackName;
        var children = Divisions.Children(division);
        var counties = Divisions.CountiesWithin(division);
        if (counties.Count == 0)
        {
            // A division missing from the list (a retired code, or one outside the four provinces):
            // its subjects are given the division's own code.
            counties = [new Division(division.Value, name, DivisionLevel.County, null)];
        }

        // A province (not a municipality) has departments (厅) where cities and counties have bureaus (局).
        var isProvince = division.Level == DivisionLevel.Province && division.Value is not ("310000" or "110000" or "120000" or "500000");
        var bureau = isProvince ? "厅" : "局";
        var organs = new (string Key, string Name, int From, int To)[]
        {
            ("government", $"{name}人民政府", 1949, 2025),
            ("party", $"中共{name}委员会", 1949, 2025),
            ("revolutionary-committee", $"{name}革命委员会", 1967, 1979),
            ("civil-affairs", $"{name}民政{bureau}", 1949, 2025),
            ("labour", $"{name}劳动{bureau}", 1949, 2025),
            ("education", $"{name}教育{bureau}", 1949, 2025),
            ("agriculture", $"{name}农业{bureau}", 1949, 2025),
            ("educated-youth-office", $"{name}知识青年上山下乡办公室", 1964, 1981),
            ("family-planning", $"{name}计划生育委员会", 1973, 2018),
            ("military", isProvince ? $"{name}军区" : $"{name}人民武装部", 1950, 2025),
            ("archives", $"{name}档案局", 1959, 2025),
            ("finance", $"{name}财政{bureau}", 1949, 2025),
            ("construction", $"{name}城乡建设委员会", 1979, 2025),
            ("water", $"{name}水利{bureau}", 1949, 2025),
            ("culture", $"{name}文化{bureau}", 1949, 2025),
            ("statistics", $"{name}统计局", 1952, 2025),
        };

        var fonds = new List<Fonds>();
        foreach (var organ in organs)
        {
            fonds.Add(new Fonds($"J{fonds.Count + 1:D3}", organ.Name, organ.Key, organ.From, organ.To));
        }

        foreach (var child in children.Take(8))
        {
            fonds.Add(new Fonds($"J{fonds.Count + 1:D3}", $"{child.Name}人民政府", "local-government", 1949, 2025));
        }

        return new NodePlaces(division, name, children, counties, fonds);
    }
}

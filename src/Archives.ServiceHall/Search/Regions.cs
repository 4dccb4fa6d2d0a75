using Archives.Contracts;

namespace Archives.ServiceHall.Search;

/// <summary>
/// The regions a clerk can search: all of Zhejiang, each Zhejiang city, and the partner provinces, named
/// from the GB/T 2260 list the nodes are built from (<c>divisions-yrd.csv</c>).
/// </summary>
public sealed class Regions
{
    public Regions()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Search", "divisions-yrd.csv");
        var names = File.ReadLines(path).Skip(1)
            .Select(line => line.Split(','))
            .Where(f => f.Length >= 3)
            .ToDictionary(f => f[0], f => (Name: f[1], Level: f[2]), StringComparer.Ordinal);

        var zhejiangCities = names.Where(n => n.Key.StartsWith("33", StringComparison.Ordinal) && n.Value.Level == "city")
            .OrderBy(n => n.Key, StringComparer.Ordinal)
            .Select(n => new Region(n.Key[..4], n.Value.Name, $"{n.Value.Name} ({n.Key[..4]})"));
        All =
        [
            new Region("33", names["330000"].Name + "（全省）", "Zhejiang province (33)"),
            .. zhejiangCities,
            new Region("31", names["310000"].Name, "Shanghai (31)"),
            new Region("32", names["320000"].Name, "Jiangsu (32)"),
            new Region("34", names["340000"].Name, "Anhui (34)"),
        ];
    }

    public IReadOnlyList<Region> All { get; }

    public Region? Find(string? prefix) => All.FirstOrDefault(r => r.Prefix == prefix);

    public static RegionPrefix ToPrefix(Region region) => RegionPrefix.Parse(region.Prefix);
}

public sealed record Region(string Prefix, string NameZh, string NameEn);

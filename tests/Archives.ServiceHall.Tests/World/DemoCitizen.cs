using System.Text.Json;
using Archives.Testing;

namespace Archives.ServiceHall.Tests.World;

/// <summary>A demo subject of <c>gateway-config/local/demo-citizens.json</c>, whose records the reference nodes seed.</summary>
public sealed record DemoCitizen(string IdNumber, string Name, string BirthDate, IReadOnlyList<DemoRecord> Records)
{
    private static readonly Lazy<IReadOnlyList<DemoCitizen>> All = new(Read);

    /// <summary>王丽华: a school record in Hangzhou (330100), marriage and one-child records in Shanghai (310000); all with her ID number.</summary>
    public static DemoCitizen WangLihua => Named("王丽华");

    /// <summary>陈建国: two records before ID numbers in Hangzhou (probable), one exact there and one exact at the provincial archive (330000).</summary>
    public static DemoCitizen ChenJianguo => Named("陈建国");

    /// <summary>刘志强: records in Anhui (340000) and one in Hangzhou (330100), all before ID numbers (probable).</summary>
    public static DemoCitizen LiuZhiqiang => Named("刘志强");

    /// <summary>徐海燕: a marriage record in Hangzhou (330100) with her ID number; the others are in Wenzhou, which the tests do not run.</summary>
    public static DemoCitizen XuHaiyan => Named("徐海燕");

    /// <summary>李明: an employment record in Hangzhou (330100) that exists on paper only, so it must be retrieved before it is certified.</summary>
    public static DemoCitizen LiMing => Named("李明");

    public static DemoCitizen Named(string name) => All.Value.Single(c => c.Name == name);

    private static IReadOnlyList<DemoCitizen> Read()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ReferenceNode.DemoCitizensFile));
        return document.RootElement.GetProperty("subjects").EnumerateArray().Select(s => new DemoCitizen(
            s.GetProperty("idNumber").GetString()!,
            s.GetProperty("name").GetString()!,
            s.GetProperty("birthDate").GetString()!,
            s.GetProperty("records").EnumerateArray().Select(r => new DemoRecord(
                r.GetProperty("nodeId").GetString()!,
                r.GetProperty("category").GetString()!,
                r.GetProperty("year").GetInt32(),
                r.GetProperty("hasIdNumber").GetBoolean())).ToList())).ToList();
    }
}

/// <summary>One of a demo subject's records.</summary>
public sealed record DemoRecord(string NodeId, string Category, int Year, bool HasIdNumber);

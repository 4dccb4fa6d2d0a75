using Archives.Contracts;
using Archives.Node.Catalogue;

namespace Archives.Node.Seeding;

/// <summary>
/// Synthetic catalogue entries: titles from templates that name the node's places and the topics
/// citizens search for (婚姻登记, 知青, 招工, 土地承包, 档案, 学籍…), each in the years its topic
/// existed. Deterministic: the same places and seed give the same entries, in the same order.
/// </summary>
internal static class CatalogueGenerator
{
    /// <summary>The last year the synthetic data covers: fixed, so the data does not depend on the clock.</summary>
    public const int LastYear = 2025;

    /// <summary>Entries opened 25 years after creation (2020 Archives Law, Art. 27).</summary>
    public const int OpeningAge = 25;

    private sealed record Template(string Pattern, CatalogueCategory Category, string ClassCode, int From, int To);

    private static readonly CatalogueCategory Doc = CatalogueCategory.Documents;
    private static readonly CatalogueCategory Tech = CatalogueCategory.Technical;
    private static readonly CatalogueCategory Acct = CatalogueCategory.Accounting;
    private static readonly CatalogueCategory Photo = CatalogueCategory.Photographs;
    private static readonly CatalogueCategory Av = CatalogueCategory.Audiovisual;
    private static readonly CatalogueCategory Spec = CatalogueCategory.Specialised;

    // {O} the fonds' creator, {P} a place of the node, {Y} the year, {N} a small Chinese numeral,
    // {R} a road, {W} a reservoir, {E} an event.
    private static readonly Dictionary<string, Template[]> Topics = new()
    {
        ["marriage"] =
        [
            new("{O}关于{Y}年婚姻登记工作的通知", Doc, "WS", 1950, 2025),
            new("{P}{Y}年婚姻登记档案", Spec, "HY", 1950, 2025),
            new("{P}婚姻登记统计年报（{Y}年）", Spec, "HY", 1950, 2025),
            new("关于贯彻执行婚姻法的报告", Doc, "WS", 1950, 1985),
            new("{P}结婚登记审批表", Spec, "HY", 1950, 2003),
            new("关于办理涉外婚姻登记有关问题的请示", Doc, "WS", 1983, 2025),
        ],
        ["adoption"] =
        [
            new("{P}{Y}年收养登记档案", Spec, "SY", 1992, 2025),
            new("关于做好收养登记工作的通知", Doc, "WS", 1992, 2025),
        ],
        ["civil"] =
        [
            new("{P}{Y}年优抚救济工作总结", Doc, "WS", 1950, 2025),
            new("关于{P}行政区划调整的请示", Doc, "WS", 1950, 2025),
            new("{P}地名普查资料", Spec, "DM", 1980, 1990),
        ],
        ["employment"] =
        [
            new("{O}关于{Y}年招工计划的通知", Doc, "WS", 1958, 1995),
            new("{P}全民所有制单位招工审批表", Spec, "ZG", 1958, 1995),
            new("关于从农村招收合同制工人的报告", Doc, "WS", 1984, 1995),
            new("{P}职工花名册（{Y}年）", Spec, "ZG", 1958, 2005),
            new("{P}劳动工资统计年报", Doc, "WS", 1952, 2025),
        ],
        ["school"] =
        [
            new("{P}第{N}中学{Y}届毕业生学籍档案", Spec, "XJ", 1952, 2025),
            new("关于学籍管理的暂行规定", Doc, "WS", 1978, 2025),
            new("{P}{Y}年高考录取名册", Spec, "XJ", 1977, 2025),
            new("{P}中小学学籍卡片", Spec, "XJ", 1952, 2025),
        ],
        ["land"] =
        [
            new("{P}农村土地承包合同汇编", Spec, "TD", 1983, 2025),
            new("关于稳定和完善土地承包关系的意见", Doc, "WS", 1983, 2025),
            new("{P}农村土地承包经营权登记簿", Spec, "TD", 1983, 2025),
            new("{P}土地改革工作总结", Doc, "WS", 1949, 1953),
        ],
        ["agriculture"] =
        [
            new("{P}{Y}年粮食生产情况报告", Doc, "WS", 1949, 2025),
            new("关于农业合作化问题的报告", Doc, "WS", 1953, 1958),
            new("{P}人民公社{Y}年收益分配方案", Doc, "WS", 1958, 1983),
        ],
        ["educated-youth"] =
        [
            new("{P}知青安置工作总结", Doc, "WS", 1962, 1981),
            new("关于知识青年上山下乡工作的报告", Doc, "WS", 1962, 1980),
            new("{P}下乡知青名册", Spec, "ZQ", 1962, 1979),
            new("关于知青返城安置问题的请示", Doc, "WS", 1978, 1982),
            new("{P}知识青年上山下乡登记表（{Y}年）", Spec, "ZQ", 1962, 1979),
        ],
        ["one-child"] =
        [
            new("{P}独生子女父母光荣证发放登记", Spec, "JS", 1979, 2015),
            new("{P}{Y}年计划生育工作年报", Doc, "WS", 1973, 2015),
            new("关于独生子女奖励政策的通知", Doc, "WS", 1979, 2015),
        ],
        ["military"] =
        [
            new("{O}{Y}年征兵工作总结", Doc, "WS", 1950, 2025),
            new("{P}退伍军人安置工作报告", Doc, "WS", 1950, 2025),
            new("{P}{Y}年入伍新兵名册", Spec, "BY", 1950, 2025),
        ],
        ["archives"] =
        [
            new("{P}档案馆馆藏档案移交目录", Doc, "WS", 1959, 2025),
            new("关于加强档案管理工作的通知", Doc, "WS", 1959, 2025),
            new("{P}档案工作会议纪要（{Y}年）", Doc, "WS", 1959, 2025),
            new("机关档案室档案整理情况报告", Doc, "WS", 1959, 2025),
            new("{P}档案馆{Y}年度工作总结", Doc, "WS", 1959, 2025),
        ],
        ["accounting"] =
        [
            new("{O}{Y}年度会计凭证", Acct, "KU", 1949, 2025),
            new("{O}{Y}年度决算报表", Acct, "KU", 1949, 2025),
            new("{O}{Y}年度总账", Acct, "KU", 1949, 2025),
        ],
        ["construction"] =
        [
            new("{P}城市总体规划图（{Y}年）", Tech, "KJ", 1979, 2025),
            new("{P}{R}改建工程竣工档案", Tech, "KJ", 1979, 2025),
            new("{P}人民大会堂设计图纸", Tech, "KJ", 1955, 2000),
        ],
        ["water"] =
        [
            new("{P}{W}水库工程设计资料", Tech, "KJ", 1955, 2025),
            new("{P}{Y}年防汛抗旱工作总结", Doc, "WS", 1949, 2025),
        ],
        ["statistics"] =
        [
            new("{P}{Y}年国民经济统计资料", Doc, "WS", 1952, 2025),
            new("{P}第{N}次人口普查资料汇编", Spec, "TJ", 1953, 2025),
        ],
        ["general"] =
        [
            new("{O}{Y}年工作报告", Doc, "WS", 1949, 2025),
            new("{O}关于{Y}年国民经济计划的报告", Doc, "WS", 1953, 2025),
            new("{O}常务会议纪要（{Y}年）", Doc, "WS", 1949, 2025),
            new("{O}关于机构设置的通知", Doc, "WS", 1949, 2025),
            new("{P}政府工作报告（{Y}年）", Doc, "WS", 1978, 2025),
            new("{P}{E}照片", Photo, "ZP", 1949, 2025),
        ],
        ["culture"] =
        [
            new("{P}城市风貌照片（{Y}年）", Photo, "ZP", 1949, 2025),
            new("{P}{Y}年春节文艺演出照片", Photo, "ZP", 1949, 2025),
            new("{P}人民代表大会第{N}次会议录音", Av, "LX", 1954, 2025),
            new("{P}{E}录像", Av, "LX", 1980, 2025),
            new("{P}地方戏曲录音资料", Av, "LX", 1956, 2025),
        ],
    };

    private static readonly Dictionary<string, (string[] Topics, int Weight)> FondsTopics = new()
    {
        ["government"] = (["general", "civil", "agriculture", "construction", "statistics"], 14),
        ["party"] = (["general"], 8),
        ["revolutionary-committee"] = (["general", "educated-youth", "agriculture"], 4),
        ["civil-affairs"] = (["marriage", "marriage", "adoption", "civil"], 9),
        ["labour"] = (["employment"], 7),
        ["education"] = (["school"], 7),
        ["agriculture"] = (["land", "agriculture"], 6),
        ["educated-youth-office"] = (["educated-youth"], 4),
        ["family-planning"] = (["one-child"], 4),
        ["military"] = (["military"], 4),
        ["archives"] = (["archives"], 5),
        ["finance"] = (["accounting"], 5),
        ["construction"] = (["construction"], 4),
        ["water"] = (["water"], 3),
        ["culture"] = (["culture"], 4),
        ["statistics"] = (["statistics"], 3),
        ["local-government"] = (["general", "land", "educated-youth", "marriage", "archives", "agriculture"], 3),
    };

    private static readonly string[] Numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];
    private static readonly string[] Roads = ["解放路", "人民路", "中山路", "延安路", "环城东路", "建设大道", "新华路", "和平路"];
    private static readonly string[] Reservoirs = ["青山", "红旗", "东方红", "长潭", "白溪", "横山", "里石门", "南山"];
    private static readonly string[] Events = ["庆祝建国周年大会", "抗洪救灾", "劳动模范表彰大会", "城市建设成就展", "全民健身运动会", "植树造林活动"];

    /// <summary>Entries in id order, ids 1..count.</summary>
    public static IEnumerable<CatalogueItem> Generate(NodePlaces places, int seed, int count)
    {
        var random = new Random(SeedMixer.Mix(seed, places.Division, stream: 1));
        var weighted = places.Fonds.Select(f => (Fonds: f, FondsTopics[f.Key].Weight)).ToArray();
        var totalWeight = weighted.Sum(w => w.Weight);
        var fileCounters = new Dictionary<(string, string, int), int>();

        for (long id = 1; id <= count; id++)
        {
            var fonds = Pick(random, weighted, totalWeight);
            var topics = FondsTopics[fonds.Key].Topics;
            Template? template = null;
            int from = 0, to = 0;
            for (var attempt = 0; attempt < 10 && template is null; attempt++)
            {
                var candidates = Topics[topics[random.Next(topics.Length)]];
                var candidate = candidates[random.Next(candidates.Length)];
                from = Math.Max(candidate.From, fonds.From);
                to = Math.Min(Math.Min(candidate.To, fonds.To), LastYear);
                if (from <= to)
                {
                    template = candidate;
                }
            }

            if (template is null)
            {
                // Every fonds has at least one topic that fits its years, so this is only a fallback.
                template = Topics["general"][0];
                from = fonds.From;
                to = Math.Min(fonds.To, LastYear);
            }

            // Later years hold more files than earlier ones.
            var year = from + (int)((to - from + 1) * Math.Pow(random.NextDouble(), 0.8));
            year = Math.Min(year, to);
            var title = Fill(template.Pattern, fonds, places, year, random);

            var key = (fonds.Code, template.ClassCode, year);
            var counter = fileCounters.GetValueOrDefault(key);
            fileCounters[key] = counter + 1;
            var classCode = $"{template.ClassCode}{ArchivalReference.PartSeparator}{year}";
            // Documents and photographs are filed item by item (件), the rest file by file (卷).
            var reference = template.Category == Doc || template.Category == Photo
                ? ArchivalReference.Create(fonds.Code, classCode, $"{counter / 50 + 1:D4}", $"{counter % 50 + 1:D4}")
                : ArchivalReference.Create(fonds.Code, classCode, $"{counter + 1:D4}");

            // About 8% stay under controlled use (控制使用) past the opening age.
            var restricted = random.Next(100) < 8;
            yield return new CatalogueItem
            {
                Id = id,
                FondsCode = fonds.Code,
                FondsName = fonds.Name,
                ArchivalReference = reference.Value,
                Title = title,
                Year = year,
                Category = template.Category.Code,
                OpensIn = restricted ? null : year + OpeningAge,
            };
        }
    }

    private static string Fill(string pattern, Fonds fonds, NodePlaces places, int year, Random random)
    {
        var place = places.Children.Count > 0 && random.Next(100) < 40
            ? places.Children[random.Next(places.Children.Count)].Name
            : places.Name;
        return pattern
            .Replace("{O}", fonds.Name, StringComparison.Ordinal)
            .Replace("{P}", place, StringComparison.Ordinal)
            .Replace("{Y}", year.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{N}", Numerals[random.Next(Numerals.Length)], StringComparison.Ordinal)
            .Replace("{R}", Roads[random.Next(Roads.Length)], StringComparison.Ordinal)
            .Replace("{W}", Reservoirs[random.Next(Reservoirs.Length)], StringComparison.Ordinal)
            .Replace("{E}", Events[random.Next(Events.Length)], StringComparison.Ordinal);
    }

    private static Fonds Pick(Random random, (Fonds Fonds, int Weight)[] weighted, int total)
    {
        var roll = random.Next(total);
        foreach (var (fonds, weight) in weighted)
        {
            if (roll < weight)
            {
                return fonds;
            }

            roll -= weight;
        }

        return weighted[^1].Fonds;
    }
}

/// <summary>Seeds for the generators' random streams, from the node's seed and division only (never the clock).</summary>
internal static class SeedMixer
{
    public static int Mix(int seed, DivisionCode division, int stream)
    {
        unchecked
        {
            // A fixed mix (not HashCode.Combine, which is randomised per process).
            var h = (uint)seed * 0x9E3779B1u;
            h ^= (uint)int.Parse(division.Value, System.Globalization.CultureInfo.InvariantCulture) * 0x85EBCA77u;
            h ^= (uint)stream * 0xC2B2AE3Du;
            h ^= h >> 15;
            return (int)(h & 0x7FFFFFFF);
        }
    }
}

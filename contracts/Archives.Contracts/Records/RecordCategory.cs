using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>
/// A category of personal livelihood records (民生档案), restricted to the data subject or whoever
/// lawfully acts for them. Identified on the wire by a stable lower-case code (<c>marriage</c>);
/// carries its Chinese and English names. The set is closed per contract version: new categories
/// are added here (and to the node contract) rather than invented by a node.
/// </summary>
[JsonConverter(typeof(StringPrimitiveJsonConverter<RecordCategory>))]
public sealed record RecordCategory : ICodedTerm<RecordCategory>, IParsable<RecordCategory>
{
    /// <summary>婚姻登记: marriage and divorce registration.</summary>
    public static readonly RecordCategory Marriage = new("marriage", "婚姻登记", "Marriage registration");

    /// <summary>知青: educated youth sent to the countryside (1962–1979).</summary>
    public static readonly RecordCategory EducatedYouth = new("educated-youth", "知青", "Educated youth");

    /// <summary>兵役/退伍: military service, enlistment and discharge.</summary>
    public static readonly RecordCategory MilitaryService = new("military-service", "兵役/退伍", "Military service and discharge");

    /// <summary>收养: adoption registration.</summary>
    public static readonly RecordCategory Adoption = new("adoption", "收养", "Adoption");

    /// <summary>招工/职工: recruitment and employment (worker) records.</summary>
    public static readonly RecordCategory Employment = new("employment", "招工/职工", "Recruitment and employment");

    /// <summary>学籍: school enrolment and graduation records.</summary>
    public static readonly RecordCategory School = new("school", "学籍", "School records");

    /// <summary>土地承包: rural land contract records.</summary>
    public static readonly RecordCategory LandContract = new("land-contract", "土地承包", "Rural land contracts");

    /// <summary>独生子女: one-child certificates and awards.</summary>
    public static readonly RecordCategory OneChild = new("one-child", "独生子女", "One-child certificates");

    private static readonly CodeBook<RecordCategory> Book =
        new("record category", Marriage, EducatedYouth, MilitaryService, Adoption, Employment, School, LandContract, OneChild);

    private RecordCategory(string code, string nameZh, string nameEn)
    {
        Code = code;
        NameZh = nameZh;
        NameEn = nameEn;
    }

    /// <summary>Every category of this contract version, in a stable order.</summary>
    public static IReadOnlyList<RecordCategory> All => Book.All;

    /// <summary>The wire code, e.g. <c>educated-youth</c>.</summary>
    public string Code { get; }

    /// <summary>The Chinese name, e.g. 知青.</summary>
    public string NameZh { get; }

    /// <summary>The English name, e.g. Educated youth.</summary>
    public string NameEn { get; }

    /// <summary>Looks a category up by its code (case-insensitive).</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out RecordCategory? result, [NotNullWhen(false)] out string? error)
        => Book.TryFind(s, out result, out error);

    /// <inheritdoc/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out RecordCategory result)
        => TryParse(s, out result, out _);

    /// <summary>Looks a category up or throws <see cref="FormatException"/>.</summary>
    public static RecordCategory Parse(string s, IFormatProvider? provider = null)
        => TryParse(s, out var result, out var error) ? result : throw new FormatException(error);

    /// <summary>The wire code.</summary>
    public override string ToString() => Code;
}

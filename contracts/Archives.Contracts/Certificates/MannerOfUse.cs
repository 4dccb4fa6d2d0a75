using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>利用方式: how an archival record is used, as the archive's register (利用登记) records it.</summary>
[JsonConverter(typeof(StringPrimitiveJsonConverter<MannerOfUse>))]
public sealed record MannerOfUse : ICodedTerm<MannerOfUse>, IParsable<MannerOfUse>
{
    /// <summary>查阅: the record is consulted.</summary>
    public static readonly MannerOfUse Consult = new("consult", "查阅", "Consultation");

    /// <summary>摘录: an excerpt is made.</summary>
    public static readonly MannerOfUse Excerpt = new("excerpt", "摘录", "Excerpt");

    /// <summary>复制: a copy is made.</summary>
    public static readonly MannerOfUse Copy = new("copy", "复制", "Copy");

    /// <summary>出具证明: a certificate of what the record states is issued.</summary>
    public static readonly MannerOfUse Certify = new("certify", "出具证明", "Certification");

    private static readonly CodeBook<MannerOfUse> Book = new("manner of use", Consult, Excerpt, Copy, Certify);

    private MannerOfUse(string code, string nameZh, string nameEn)
    {
        Code = code;
        NameZh = nameZh;
        NameEn = nameEn;
    }

    /// <summary>Every manner of use, in a stable order.</summary>
    public static IReadOnlyList<MannerOfUse> All => Book.All;

    /// <summary>The wire code, e.g. <c>certify</c>.</summary>
    public string Code { get; }

    /// <summary>The Chinese name, e.g. 出具证明.</summary>
    public string NameZh { get; }

    /// <summary>The English name.</summary>
    public string NameEn { get; }

    /// <summary>Looks a manner of use up by its code (case-insensitive).</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out MannerOfUse? result, [NotNullWhen(false)] out string? error)
        => Book.TryFind(s, out result, out error);

    /// <inheritdoc/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out MannerOfUse result)
        => TryParse(s, out result, out _);

    /// <summary>Looks a manner of use up or throws <see cref="FormatException"/>.</summary>
    public static MannerOfUse Parse(string s, IFormatProvider? provider = null)
        => TryParse(s, out var result, out var error) ? result : throw new FormatException(error);

    /// <summary>The wire code.</summary>
    public override string ToString() => Code;
}

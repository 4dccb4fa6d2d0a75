using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>
/// A category (门类) of the open catalogue (开放档案目录): the kind of record a file-level
/// description describes, for filtering and facets. Identified on the wire by a stable code.
/// </summary>
[JsonConverter(typeof(StringPrimitiveJsonConverter<CatalogueCategory>))]
public sealed record CatalogueCategory : ICodedTerm<CatalogueCategory>, IParsable<CatalogueCategory>
{
    /// <summary>文书档案: administrative documents.</summary>
    public static readonly CatalogueCategory Documents = new("documents", "文书档案", "Administrative documents");

    /// <summary>科技档案: scientific and technical records (projects, buildings, equipment).</summary>
    public static readonly CatalogueCategory Technical = new("technical", "科技档案", "Technical records");

    /// <summary>会计档案: accounting records.</summary>
    public static readonly CatalogueCategory Accounting = new("accounting", "会计档案", "Accounting records");

    /// <summary>照片档案: photographs.</summary>
    public static readonly CatalogueCategory Photographs = new("photographs", "照片档案", "Photographs");

    /// <summary>录音录像档案: audio and video recordings.</summary>
    public static readonly CatalogueCategory Audiovisual = new("audiovisual", "录音录像档案", "Audio and video recordings");

    /// <summary>专业档案: specialised records (civil affairs, labour, education, land…), described at file level.</summary>
    public static readonly CatalogueCategory Specialised = new("specialised", "专业档案", "Specialised records");

    private static readonly CodeBook<CatalogueCategory> Book =
        new("catalogue category", Documents, Technical, Accounting, Photographs, Audiovisual, Specialised);

    private CatalogueCategory(string code, string nameZh, string nameEn)
    {
        Code = code;
        NameZh = nameZh;
        NameEn = nameEn;
    }

    /// <summary>Every category of this contract version, in a stable order.</summary>
    public static IReadOnlyList<CatalogueCategory> All => Book.All;

    /// <inheritdoc/>
    public string Code { get; }

    /// <inheritdoc/>
    public string NameZh { get; }

    /// <inheritdoc/>
    public string NameEn { get; }

    /// <summary>Looks a category up by its code (case-insensitive).</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out CatalogueCategory? result, [NotNullWhen(false)] out string? error)
        => Book.TryFind(s, out result, out error);

    /// <inheritdoc/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out CatalogueCategory result)
        => TryParse(s, out result, out _);

    /// <summary>Looks a category up or throws <see cref="FormatException"/>.</summary>
    public static CatalogueCategory Parse(string s, IFormatProvider? provider = null)
        => TryParse(s, out var result, out var error) ? result : throw new FormatException(error);

    /// <summary>The wire code.</summary>
    public override string ToString() => Code;
}

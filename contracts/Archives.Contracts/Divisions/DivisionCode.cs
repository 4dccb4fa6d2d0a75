using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>
/// An administrative division code (行政区划代码) under GB/T 2260: six digits, two each for
/// province, prefecture (city) and county. <c>330000</c> Zhejiang, <c>330100</c> Hangzhou,
/// <c>330106</c> Xihu district. An instance always holds a well-formed code with a real
/// province prefix; whether the code is current is the registry's business, not this type's
/// (ID numbers carry retired codes).
/// </summary>
[JsonConverter(typeof(StringPrimitiveJsonConverter<DivisionCode>))]
public sealed record DivisionCode : IStringPrimitive<DivisionCode>, IParsable<DivisionCode>
{
    // GB/T 2260 province-level prefixes, including Taiwan (71), Hong Kong (81) and Macao (82).
    private static readonly HashSet<string> ProvincePrefixes =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ];

    private DivisionCode(string value) => Value = value;

    /// <summary>Six digits, as a regular expression; the province prefix and levels are checked beyond it.</summary>
    public const string Pattern = "^[0-9]{6}$";

    /// <summary>The six digits.</summary>
    public string Value { get; }

    /// <inheritdoc/>
    string IStringPrimitive<DivisionCode>.WireValue => Value;

    /// <summary>Province, city (prefecture) or county level, from the trailing zeros.</summary>
    public DivisionLevel Level => Value.EndsWith("0000", StringComparison.Ordinal) ? DivisionLevel.Province
        : Value.EndsWith("00", StringComparison.Ordinal) ? DivisionLevel.City
        : DivisionLevel.County;

    /// <summary>The province this division belongs to (<c>330106</c> → <c>330000</c>).</summary>
    public DivisionCode Province => new(string.Concat(Value.AsSpan(0, 2), "0000"));

    /// <summary>The city (prefecture) this division belongs to (<c>330106</c> → <c>330100</c>); a province is its own.</summary>
    public DivisionCode City => Level == DivisionLevel.Province ? this : new(string.Concat(Value.AsSpan(0, 4), "00"));

    /// <summary>The significant prefix: two digits for a province, four for a city, six for a county.</summary>
    public string SignificantPrefix => Level switch
    {
        DivisionLevel.Province => Value[..2],
        DivisionLevel.City => Value[..4],
        _ => Value,
    };

    /// <summary>Whether this division lies within a region filter (<c>33</c>, <c>3301</c>, <c>330106</c>).</summary>
    public bool IsWithin(RegionPrefix region) => Value.StartsWith(region.Value, StringComparison.Ordinal);

    /// <summary>Parses six digits with a known province prefix.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out DivisionCode? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var text = s?.Trim();
        if (text is null || text.Length != 6 || !text.All(char.IsAsciiDigit))
        {
            error = "A division code has six digits (GB/T 2260).";
            return false;
        }

        if (!ProvincePrefixes.Contains(text[..2]))
        {
            error = "A division code starts with a province-level code (11–82).";
            return false;
        }

        if (text[2..4] == "00" && text[4..] != "00")
        {
            error = "A division code with no city digits has no county digits either.";
            return false;
        }

        result = new DivisionCode(text);
        error = null;
        return true;
    }

    /// <inheritdoc/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out DivisionCode result)
        => TryParse(s, out result, out _);

    /// <summary>Parses a code or throws <see cref="FormatException"/>.</summary>
    public static DivisionCode Parse(string s, IFormatProvider? provider = null)
        => TryParse(s, out var result, out var error) ? result : throw new FormatException(error);

    /// <summary>The six digits.</summary>
    public override string ToString() => Value;
}

/// <summary>The level of a division, and so of the archive that serves it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DivisionLevel>))]
public enum DivisionLevel
{
    /// <summary>省级 (and the municipalities directly under the central government, such as Shanghai).</summary>
    [JsonStringEnumMemberName("province")]
    Province,

    /// <summary>地市级</summary>
    [JsonStringEnumMemberName("city")]
    City,

    /// <summary>县级: districts, county-level cities and counties.</summary>
    [JsonStringEnumMemberName("county")]
    County,
}

/// <summary>
/// A region filter: a division-code prefix of two (province), four (city) or six (county) digits:
/// <c>33</c> all of Zhejiang, <c>3301</c> Hangzhou with its districts and counties, <c>31</c> Shanghai.
/// </summary>
[JsonConverter(typeof(StringPrimitiveJsonConverter<RegionPrefix>))]
public sealed record RegionPrefix : IStringPrimitive<RegionPrefix>, IParsable<RegionPrefix>
{
    private RegionPrefix(string value) => Value = value;

    /// <summary>Two, four or six digits, as a regular expression; the province prefix is checked beyond it.</summary>
    public const string Pattern = "^[0-9]{2}([0-9]{2}){0,2}$";

    /// <summary>The prefix digits.</summary>
    public string Value { get; }

    /// <inheritdoc/>
    string IStringPrimitive<RegionPrefix>.WireValue => Value;

    /// <summary>Whether a division lies within this region.</summary>
    public bool Contains(DivisionCode division) => division.IsWithin(this);

    /// <summary>Parses a prefix of 2, 4 or 6 digits starting with a province code.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out RegionPrefix? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var text = s?.Trim();
        if (text is null || text.Length is not (2 or 4 or 6) || !text.All(char.IsAsciiDigit))
        {
            error = "A region is a division-code prefix of 2, 4 or 6 digits (33, 3301, 330106).";
            return false;
        }

        if (!DivisionCode.TryParse(text.PadRight(6, '0'), out _, out _))
        {
            error = "A region starts with a province-level code (11–82).";
            return false;
        }

        result = new RegionPrefix(text);
        error = null;
        return true;
    }

    /// <inheritdoc/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out RegionPrefix result)
        => TryParse(s, out result, out _);

    /// <summary>Parses a prefix or throws <see cref="FormatException"/>.</summary>
    public static RegionPrefix Parse(string s, IFormatProvider? provider = null)
        => TryParse(s, out var result, out var error) ? result : throw new FormatException(error);

    /// <summary>The prefix digits.</summary>
    public override string ToString() => Value;
}

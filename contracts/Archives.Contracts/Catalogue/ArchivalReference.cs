using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>
/// An archival reference code (档号) under DA/T 13-2022: 全宗号-类别号-案卷号-件号
/// (fonds - class - file - item), with <c>-</c> between levels and <c>·</c> (U+00B7) between the
/// parts of one level, e.g. <c>J012-HY·1985-0034-0007</c>. The item level is absent for
/// references to a whole file (案卷). Parts are ASCII letters and digits; letters are stored upper-case.
/// </summary>
[JsonConverter(typeof(StringPrimitiveJsonConverter<ArchivalReference>))]
public sealed record ArchivalReference : IStringPrimitive<ArchivalReference>, IParsable<ArchivalReference>
{
    /// <summary>The separator between levels.</summary>
    public const char LevelSeparator = '-';

    /// <summary>The separator between parts of one level (middle dot, U+00B7).</summary>
    public const char PartSeparator = '·';

    /// <summary>The longest reference accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Three or four levels of ASCII letters and digits, parts within a level joined by <c>·</c>, as a regular expression.</summary>
    public const string Pattern = @"^[A-Za-z0-9]+(?:\u00B7[A-Za-z0-9]+)*(?:-[A-Za-z0-9]+(?:\u00B7[A-Za-z0-9]+)*){2,3}$";

    private ArchivalReference(string value, string fonds, string classCode, string fileNumber, string? itemNumber)
    {
        Value = value;
        Fonds = fonds;
        ClassCode = classCode;
        FileNumber = fileNumber;
        ItemNumber = itemNumber;
    }

    /// <summary>全宗号: the fonds, the body of records of one creator.</summary>
    public string Fonds { get; }

    /// <summary>类别号: the class within the fonds, possibly of several parts (<c>HY·1985</c>).</summary>
    public string ClassCode { get; }

    /// <summary>案卷号: the file (or, for item-level filing, the retention/organisation part).</summary>
    public string FileNumber { get; }

    /// <summary>件号: the item within the file; null for a reference to a whole file.</summary>
    public string? ItemNumber { get; }

    /// <summary>The reference as written: levels joined by <c>-</c>.</summary>
    public string Value { get; }

    /// <inheritdoc/>
    string IStringPrimitive<ArchivalReference>.WireValue => Value;

    /// <summary>Builds a reference from its levels, validating each.</summary>
    public static ArchivalReference Create(string fonds, string classCode, string fileNumber, string? itemNumber = null)
    {
        var text = itemNumber is null
            ? string.Join(LevelSeparator, fonds, classCode, fileNumber)
            : string.Join(LevelSeparator, fonds, classCode, fileNumber, itemNumber);
        return Parse(text);
    }

    /// <summary>Parses a reference of three or four levels.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out ArchivalReference? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var text = s?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "An archival reference (档号) is required.";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"An archival reference has at most {MaxLength} characters.";
            return false;
        }

        // One pass over the text, without splitting it into arrays first: a gateway reads this for every
        // entry of every node's answer (hundreds of nodes per federated search).
        Span<Range> levels = stackalloc Range[5];
        var count = text.AsSpan().Split(levels, LevelSeparator);
        if (count is not (3 or 4))
        {
            error = "An archival reference has three or four levels separated by '-' (全宗号-类别号-案卷号-件号).";
            return false;
        }

        foreach (var level in levels[..count])
        {
            if (!IsLevel(text.AsSpan(level)))
            {
                error = "Each part of an archival reference is ASCII letters or digits; levels are separated by '-', parts of a level by '·'.";
                return false;
            }
        }

        // Letters are stored upper-case. Only ASCII letters can be there (checked above), and ToUpperInvariant
        // copies a text with '·' even when nothing changes, so the copy is made only when there is a lower-case letter.
        var value = text.AsSpan().ContainsAnyInRange('a', 'z') ? text.ToUpperInvariant() : text;
        result = new ArchivalReference(
            value,
            value[levels[0]],
            value[levels[1]],
            value[levels[2]],
            count == 4 ? value[levels[3]] : null);
        error = null;
        return true;
    }

    /// <summary>Parts of ASCII letters and digits, none empty, joined by <see cref="PartSeparator"/>.</summary>
    private static bool IsLevel(ReadOnlySpan<char> level)
    {
        var partLength = 0;
        foreach (var c in level)
        {
            if (c == PartSeparator)
            {
                if (partLength == 0)
                {
                    return false;
                }

                partLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                partLength++;
            }
            else
            {
                return false;
            }
        }

        return partLength > 0;
    }

    /// <inheritdoc/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out ArchivalReference result)
        => TryParse(s, out result, out _);

    /// <summary>Parses a reference or throws <see cref="FormatException"/>.</summary>
    public static ArchivalReference Parse(string s, IFormatProvider? provider = null)
        => TryParse(s, out var result, out var error) ? result : throw new FormatException(error);

    /// <summary>The reference as written.</summary>
    public override string ToString() => Value;
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>
/// A national ID number (公民身份号码) under GB 11643-1999: six digits of division code, eight of
/// birth date, three of sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check
/// character (0-9 or X). Legacy 15-digit numbers (before 1999) are accepted and upgraded.
/// An instance always holds a valid 18-character number.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> returns the masked form (<c>330106********123X</c>) so that an ID number
/// that slips into a log line or an error message is never written in full; use <see cref="Value"/>
/// where the full number is really needed.
/// </remarks>
[JsonConverter(typeof(StringPrimitiveJsonConverter<IdNumber>))]
public sealed class IdNumber : IStringPrimitive<IdNumber>, IEquatable<IdNumber>, IParsable<IdNumber>
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>The canonical form as a regular expression (17 digits and a check digit or X); the check character and birth date are checked beyond it.</summary>
    public const string Pattern = "^[0-9]{17}[0-9X]$";

    /// <summary>What is accepted on input: the canonical form, or a legacy 15-digit number.</summary>
    public const string InputPattern = "^([0-9]{17}[0-9X]|[0-9]{15})$";

    /// <summary>The masked form as a regular expression (<c>330106********123X</c>).</summary>
    public const string MaskedPattern = @"^[0-9]{6}\*{8}[0-9]{3}[0-9X]$";

    /// <summary>Earliest birth date accepted (the oldest living and recorded subjects).</summary>
    public static readonly DateOnly EarliestBirthDate = new(1850, 1, 1);

    private IdNumber(string value, DivisionCode division, DateOnly birthDate)
    {
        Value = value;
        Division = division;
        BirthDate = birthDate;
    }

    /// <summary>The full 18-character number, upper-case X. Personal data: never log it.</summary>
    public string Value { get; }

    /// <inheritdoc/>
    string IStringPrimitive<IdNumber>.WireValue => Value;

    /// <summary>The division code in the first six digits (the place of first registration; it may be a retired code).</summary>
    public DivisionCode Division { get; }

    /// <summary>The birth date in digits 7–14.</summary>
    public DateOnly BirthDate { get; }

    /// <summary>The sex recorded by the parity of the 17th digit.</summary>
    public Sex Sex => (Value[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female;

    /// <summary>The masked form: first six and last four characters, eight asterisks between (<c>330106********123X</c>).</summary>
    public string Masked => Mask(Value);

    /// <summary>Masks any 15- or 18-character ID-like string the same way, for text that was never parsed.</summary>
    public static string Mask(string value) => value.Length switch
    {
        18 => string.Concat(value.AsSpan(0, 6), "********", value.AsSpan(14, 4)),
        15 => string.Concat(value.AsSpan(0, 6), "*****", value.AsSpan(11, 4)),
        _ => new string('*', value.Length),
    };

    /// <summary>Computes the ISO 7064 MOD 11-2 check character of the first 17 digits.</summary>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("Seventeen digits are needed.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var digit = first17[i] - '0';
            if (digit is < 0 or > 9)
            {
                throw new ArgumentException("Only digits are allowed.", nameof(first17));
            }

            sum += digit * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>
    /// Builds a number from its parts, computing the check character. Used by data generators;
    /// <paramref name="sequence"/> is 0–999 (odd for men).
    /// </summary>
    public static IdNumber Create(DivisionCode division, DateOnly birthDate, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, 999);
        var first17 = string.Concat(division.Value, birthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture), sequence.ToString("D3", CultureInfo.InvariantCulture));
        return Parse(first17 + ComputeCheckCharacter(first17), CultureInfo.InvariantCulture);
    }

    /// <summary>Parses an 18-digit number, or a 15-digit legacy number (upgraded to 18 digits).</summary>
    /// <param name="s">The text; surrounding white space is ignored, a lower-case x is accepted.</param>
    /// <param name="result">The number when valid.</param>
    /// <param name="error">Why the text is not a valid number, in English, never repeating the number.</param>
    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out IdNumber? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var text = s?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(text))
        {
            error = "An ID number is required.";
            return false;
        }

        if (text.Length == 15)
        {
            if (!text.All(char.IsAsciiDigit))
            {
                error = "A 15-digit legacy ID number has digits only.";
                return false;
            }

            // Legacy numbers carry a two-digit year of the 1900s and no check character.
            var first17 = string.Concat(text.AsSpan(0, 6), "19", text.AsSpan(6, 9));
            text = first17 + ComputeCheckCharacter(first17);
        }

        if (text.Length != 18)
        {
            error = "An ID number has 18 characters (or 15 digits for a legacy number).";
            return false;
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                error = "The first 17 characters of an ID number are digits.";
                return false;
            }
        }

        if (!char.IsAsciiDigit(text[17]) && text[17] != 'X')
        {
            error = "The last character of an ID number is a digit or X.";
            return false;
        }

        if (!DivisionCode.TryParse(text[..6], out var division, out _))
        {
            error = "The first six digits of the ID number are not a division code.";
            return false;
        }

        if (!DateOnly.TryParseExact(text.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate)
            || birthDate < EarliestBirthDate
            || birthDate > ChinaTime.Today(TimeProvider.System))
        {
            error = "The birth date inside the ID number is not a real date.";
            return false;
        }

        if (ComputeCheckCharacter(text.AsSpan(0, 17)) != text[17])
        {
            error = "The check character of the ID number is wrong (ISO 7064 MOD 11-2).";
            return false;
        }

        result = new IdNumber(text, division, birthDate);
        error = null;
        return true;
    }

    /// <inheritdoc cref="TryParse(string?, out IdNumber?, out string?)"/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out IdNumber result)
        => TryParse(s, out result, out _);

    /// <summary>Parses a number or throws <see cref="FormatException"/> (whose message never repeats the number).</summary>
    public static IdNumber Parse(string s, IFormatProvider? provider = null)
        => TryParse(s, out var result, out var error) ? result : throw new FormatException(error);

    /// <summary>The masked form; see the remarks on the type.</summary>
    public override string ToString() => Masked;

    /// <inheritdoc/>
    public bool Equals(IdNumber? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as IdNumber);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Equality by value.</summary>
    public static bool operator ==(IdNumber? left, IdNumber? right) => left?.Equals(right) ?? right is null;

    /// <summary>Inequality by value.</summary>
    public static bool operator !=(IdNumber? left, IdNumber? right) => !(left == right);
}

/// <summary>Sex as recorded in an ID number.</summary>
public enum Sex
{
    /// <summary>男</summary>
    Male,

    /// <summary>女</summary>
    Female,
}

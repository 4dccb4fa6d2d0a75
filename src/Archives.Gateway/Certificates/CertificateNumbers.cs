using System.Globalization;
using System.Security.Cryptography;
using Archives.Contracts;

namespace Archives.Gateway.Certificates;

/// <summary>Certificate numbers, verification codes and the China-time clock they use.</summary>
internal static class CertificateNumbers
{
    /// <summary>Digits and capitals without 0/O, 1/I/L: nothing a reader can confuse on paper (31 symbols).</summary>
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public const int RandomPartLength = 6;

    public const int CodeLength = 8;

    /// <summary>
    /// <c>{division}-{yyyyMMdd}-{6 random}</c>, e.g. <c>330100-20261125-7K3M9Q</c>: the holding archive's division
    /// code, the issue date in China, and 31^6 ≈ 8.9·10^8 random values per archive and day from a CSPRNG,
    /// so a number cannot be guessed from another (and a collision is caught by the primary key).
    /// </summary>
    public static string NewNumber(DivisionCode holdingArchive, DateTimeOffset issuedAt)
        => string.Concat(holdingArchive.Value, "-", issuedAt.ToOffset(ChinaTime.Offset).ToString("yyyyMMdd", CultureInfo.InvariantCulture), "-", Random(RandomPartLength));

    /// <summary>Eight symbols, 31^8 ≈ 8.5·10^11 values: with the verification rate limit, not guessable.</summary>
    public static string NewCode() => Random(CodeLength);

    /// <summary>Whether the text can be a certificate number (it says nothing of whether one exists).</summary>
    public static bool IsWellFormedNumber(string? number)
        => number is { Length: 6 + 1 + 8 + 1 + RandomPartLength }
            && number[6] == '-' && number[15] == '-'
            && number.AsSpan(0, 6).ContainsAnyExcept("0123456789") is false
            && number.AsSpan(7, 8).ContainsAnyExcept("0123456789") is false
            && number.AsSpan(16).ContainsAnyExcept(Alphabet) is false;

    /// <summary>A code as a person typed it: trimmed and upper-case; null when it cannot be one.</summary>
    public static string? NormaliseCode(string? code)
    {
        var text = code?.Trim().ToUpperInvariant();
        return text is { Length: CodeLength } && !text.AsSpan().ContainsAnyExcept(Alphabet) ? text : null;
    }

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}

using Archives.Contracts;
using static Archives.ServiceHall.Hosting.Text;

namespace Archives.ServiceHall.Search;

/// <summary>
/// Why a typed ID number is refused, in the clerk's language and naming the character to look at (as hall.js says
/// while it is typed), without repeating the number: the contract's own messages are English and say only what rule
/// failed.
/// </summary>
internal static class IdNumberAdvice
{
    public static string Describe(string typed, string contractError)
    {
        var value = typed.Trim().ToUpperInvariant();
        if (value.Length == 15)
        {
            return value.All(char.IsAsciiDigit)
                ? T("15 位旧身份号码无效（地区码或出生日期有误），请核对。", "The 15-digit legacy number is not valid (division or birth date); please check it.")
                : T("15 位旧身份号码只含数字。", "A 15-digit legacy number has digits only.");
        }

        if (value.Length != 18)
        {
            return T($"身份号码应为 18 位，现为 {value.Length} 位。", $"An ID number has 18 characters; this has {value.Length}.");
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return T($"第 {i + 1} 位应为数字。", $"Character {i + 1} must be a digit.");
            }
        }

        if (!char.IsAsciiDigit(value[17]) && value[17] != 'X')
        {
            return T("第 18 位应为数字或 X。", "Character 18 must be a digit or X.");
        }

        var expected = IdNumber.ComputeCheckCharacter(value.AsSpan(0, 17));
        if (value[17] != expected)
        {
            return T($"第 18 位校验码应为 {expected}（现为 {value[17]}），请核对前 17 位或末位是否输错。",
                $"Character 18 (the check character) should be {expected}, not {value[17]}: one of the first 17 digits, or the last character, was mistyped.");
        }

        return contractError.Contains("division", StringComparison.OrdinalIgnoreCase)
            ? T("前 6 位不是有效的行政区划代码，请核对。", "The first six digits are not a division code; please check them.")
            : contractError.Contains("birth", StringComparison.OrdinalIgnoreCase)
                ? T("第 7–14 位的出生日期不是真实日期，请核对。", "Characters 7–14 are not a real birth date; please check them.")
                : T("身份号码有误，请核对。", "The ID number is not valid; please check it.");
    }
}

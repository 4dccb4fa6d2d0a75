using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Archives.Contracts;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Audit;

/// <summary>
/// The keys the audit log stores instead of a subject: HMAC-SHA256 under <see cref="AuditOptions.SubjectKey"/>
/// of the ID number, and of the name with the birth date (records from before about 1985 carry no ID
/// number and match on those). Keyed, not a plain hash: ID numbers are few enough (a division code, a birth
/// date, three digits and a check character) that a plain hash of one is found by trying them all.
/// </summary>
internal sealed class SubjectKeys(IOptions<AuditOptions> options)
{
    private readonly Lazy<byte[]> _key = new(() => options.Value.SubjectKeyBytes());

    /// <summary>The key of an ID number.</summary>
    public string OfIdNumber(IdNumber idNumber) => Mac($"id-number\n{idNumber.Value}");

    /// <summary>The key of a name and birth date: the name trimmed and in Unicode normal form C.</summary>
    public string OfNameAndBirthDate(string name, DateOnly birthDate)
        => Mac($"name-birth\n{name.Trim().Normalize(NormalizationForm.FormC)}\n{birthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");

    /// <summary>Both keys of a subject, as far as it gives what each needs.</summary>
    public (string? IdNumber, string? NameBirth) Of(Subject subject)
    {
        var birthDate = subject.BirthDate ?? subject.IdNumber?.BirthDate;
        return (
            subject.IdNumber is { } id ? OfIdNumber(id) : null,
            !string.IsNullOrWhiteSpace(subject.Name) && birthDate is { } birth ? OfNameAndBirthDate(subject.Name, birth) : null);
    }

    private string Mac(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes(text)));
}

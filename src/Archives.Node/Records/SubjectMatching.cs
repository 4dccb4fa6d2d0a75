using System.Text;
using Archives.Contracts;

namespace Archives.Node.Records;

/// <summary>A validated subject as the node matches it: the ID number, and the name (normalised) and birth date (taken from the ID number when absent).</summary>
internal sealed record SubjectQuery(IdNumber? IdNumber, string? Name, DateOnly? BirthDate)
{
    /// <summary>Checks a subject as the whole federation does (<see cref="SubjectValidation"/>); errors are keyed by <paramref name="fields"/>.</summary>
    public static SubjectQuery? Validate(Subject? subject, SubjectFields fields, TimeProvider time, Dictionary<string, string[]> errors)
        => SubjectValidation.Validate(subject, fields, time, errors) is { } valid
            ? new SubjectQuery(valid.IdNumber, valid.Name is null ? null : NormaliseName(valid.Name), valid.BirthDate ?? valid.IdNumber?.BirthDate)
            : null;

    /// <summary>
    /// How a record matches this subject, or null when it does not. A record that carries an ID
    /// number matches only that number (and the name, when one is given); a record without one
    /// matches on name and birth date, as a probable match for a clerk to confirm.
    /// </summary>
    public MatchKind? Match(PersonalRecord record)
    {
        if (record.IdNumber is not null)
        {
            return IdNumber is not null && record.IdNumber == IdNumber.Value && (Name is null || record.SubjectName == Name)
                ? MatchKind.Exact
                : null;
        }

        return Name is not null && BirthDate is not null && record.SubjectName == Name && record.SubjectBirthDate == BirthDate
            ? MatchKind.Probable
            : null;
    }

    /// <summary>Full-width forms folded (NFKC), white space removed: 陈 建国 and 陈建国 are one name.</summary>
    public static string NormaliseName(string name)
    {
        var normalised = name.Normalize(NormalizationForm.FormKC);
        return string.Concat(normalised.Where(c => !char.IsWhiteSpace(c)));
    }
}

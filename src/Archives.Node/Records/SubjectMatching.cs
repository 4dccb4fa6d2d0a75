using System.Text;
using Archives.Contracts;
using Archives.Node.Data;

namespace Archives.Node.Records;

/// <summary>A validated subject: the ID number, and the name and birth date (the latter taken from the ID number when absent).</summary>
internal sealed record SubjectQuery(IdNumber? IdNumber, string? Name, DateOnly? BirthDate)
{
    /// <summary>Names where the request's fields are reported: JSON paths for the body, header names for the headers.</summary>
    public sealed record FieldNames(string Subject, string IdNumber, string Name, string BirthDate);

    public static readonly FieldNames BodyFields = new("subject", "subject.idNumber", "subject.name", "subject.birthDate");

    public static readonly FieldNames HeaderFields = new(
        "subject", NodeContract.SubjectHeaders.IdNumber, NodeContract.SubjectHeaders.Name, NodeContract.SubjectHeaders.BirthDate);

    /// <summary>Checks the parts of a subject and what they say together; errors are keyed by <paramref name="fields"/>.</summary>
    public static SubjectQuery? Validate(IdNumber? idNumber, string? name, DateOnly? birthDate, FieldNames fields, TimeProvider time, Dictionary<string, string[]> errors)
    {
        var before = errors.Count;
        string? normalisedName = null;
        if (!string.IsNullOrWhiteSpace(name))
        {
            if (name.Length > NodeContract.MaxNameLength)
            {
                errors[fields.Name] = [$"A name has at most {NodeContract.MaxNameLength} characters."];
            }
            else if (name.Any(char.IsControl))
            {
                errors[fields.Name] = ["A name has no control characters."];
            }
            else
            {
                normalisedName = NormaliseName(name);
            }
        }

        if (birthDate is { } birth && (birth < IdNumber.EarliestBirthDate || birth > NodeClock.Today(time)))
        {
            errors[fields.BirthDate] = ["The birth date is not a real birth date (1850 to today)."];
        }
        else if (birthDate is { } given && idNumber is not null && idNumber.BirthDate != given)
        {
            errors[fields.BirthDate] = ["The birth date does not agree with the ID number."];
        }

        if (errors.Count > before)
        {
            return null;
        }

        var effectiveBirthDate = birthDate ?? idNumber?.BirthDate;
        if (idNumber is null)
        {
            if (normalisedName is null && effectiveBirthDate is null)
            {
                errors[fields.Subject] = ["Give the subject's ID number, or their name and birth date."];
                return null;
            }

            if (normalisedName is null)
            {
                errors[fields.Name] = ["Without an ID number, the subject's name is needed with the birth date."];
                return null;
            }

            if (effectiveBirthDate is null)
            {
                errors[fields.BirthDate] = ["Without an ID number, the subject's birth date is needed with the name."];
                return null;
            }
        }

        return new SubjectQuery(idNumber, normalisedName, effectiveBirthDate);
    }

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

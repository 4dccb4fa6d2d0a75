namespace Archives.Contracts;

/// <summary>
/// The checks of a <see cref="Subject"/> that every part of the federation makes, so that a subject the
/// gateway accepts is one a node accepts: the ID number, or the name and the birth date, or all three; a
/// name of at most <see cref="NodeContract.MaxNameLength"/> characters without control characters; a birth
/// date from <see cref="IdNumber.EarliestBirthDate"/> to today (China Standard Time) that agrees with the
/// ID number. No message repeats what was sent.
/// </summary>
public static class SubjectValidation
{
    private const string Incomplete = "Give the subject's ID number, or their name and birth date.";

    /// <summary>
    /// Checks a subject. Returns it with its name trimmed (a blank name is no name), or null when it is not
    /// valid, with every problem added to <paramref name="errors"/> under the field of <paramref name="fields"/> it concerns.
    /// </summary>
    /// <param name="subject">The subject as sent; null when none was.</param>
    /// <param name="fields">Where the subject's parts are reported.</param>
    /// <param name="time">The clock that says which day today is.</param>
    /// <param name="errors">Field → messages; problems are added to it.</param>
    public static Subject? Validate(Subject? subject, SubjectFields fields, TimeProvider time, IDictionary<string, string[]> errors)
    {
        if (subject is null)
        {
            errors[fields.Subject] = [Incomplete];
            return null;
        }

        var valid = true;
        var name = subject.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            name = null;
        }
        else if (name.Length > NodeContract.MaxNameLength)
        {
            valid = Fail(errors, fields.Name, $"A name has at most {NodeContract.MaxNameLength} characters.");
        }
        else if (name.Any(char.IsControl))
        {
            valid = Fail(errors, fields.Name, "A name has no control characters.");
        }

        if (subject.BirthDate is { } birth && (birth < IdNumber.EarliestBirthDate || birth > ChinaTime.Today(time)))
        {
            valid = Fail(errors, fields.BirthDate, $"The birth date is not a real birth date ({IdNumber.EarliestBirthDate.Year} to today).");
        }
        else if (subject.BirthDate is { } given && subject.IdNumber is { } id && given != id.BirthDate)
        {
            valid = Fail(errors, fields.BirthDate, "The birth date does not agree with the ID number.");
        }

        if (subject.IdNumber is null && (name is null || subject.BirthDate is null))
        {
            // The subject is named as well as the part it lacks: clients look for either.
            valid = Fail(errors, fields.Subject, Incomplete);
            if (name is null && subject.BirthDate is not null)
            {
                errors.TryAdd(fields.Name, ["Without an ID number, the subject's name is needed with the birth date."]);
            }
            else if (name is not null && subject.BirthDate is null)
            {
                errors.TryAdd(fields.BirthDate, ["Without an ID number, the subject's birth date is needed with the name."]);
            }
        }

        return valid ? subject with { Name = name } : null;
    }

    private static bool Fail(IDictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return false;
    }
}

namespace Archives.Contracts;

/// <summary>The names under which the parts of a <see cref="Subject"/> are reported when they are not valid.</summary>
/// <param name="Subject">The subject as a whole.</param>
/// <param name="IdNumber">Its ID number.</param>
/// <param name="Name">Its name.</param>
/// <param name="BirthDate">Its birth date.</param>
public sealed record SubjectFields(string Subject, string IdNumber, string Name, string BirthDate)
{
    /// <summary>A subject in a JSON body, under <c>subject</c>: JSON paths.</summary>
    public static SubjectFields Body { get; } = new("subject", "subject.idNumber", "subject.name", "subject.birthDate");

    /// <summary>A subject in the <see cref="NodeContract.SubjectHeaders"/>: the headers' names.</summary>
    public static SubjectFields Headers { get; } = new(
        "subject", NodeContract.SubjectHeaders.IdNumber, NodeContract.SubjectHeaders.Name, NodeContract.SubjectHeaders.BirthDate);
}

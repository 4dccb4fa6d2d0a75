namespace Archives.Node.Records;

/// <summary>A personal livelihood record (民生档案) about one subject.</summary>
internal sealed class PersonalRecord
{
    public required string Id { get; set; }

    /// <summary>The record category code.</summary>
    public required string Category { get; set; }

    public required string ArchivalReference { get; set; }

    public required string Title { get; set; }

    public required string Summary { get; set; }

    public DateOnly EventDate { get; set; }

    public required string SubjectName { get; set; }

    public DateOnly? SubjectBirthDate { get; set; }

    /// <summary>
    /// The full ID number when the record carries one (records before about 1985 mostly do not).
    /// Note: personal data; it leaves the node only masked, and never enters a log line.
    /// </summary>
    public string? IdNumber { get; set; }

    /// <summary>False for a paper record whose evidence must first be retrieved (调档).</summary>
    public bool Digitised { get; set; }

    /// <summary>The facts the record states, a JSON object of strings.</summary>
    public required string FactsJson { get; set; }
}

/// <summary>A paper record being retrieved; persisted so that a restart does not start it again.</summary>
internal sealed class Retrieval
{
    public required string RecordId { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset ReadyAt { get; set; }
}

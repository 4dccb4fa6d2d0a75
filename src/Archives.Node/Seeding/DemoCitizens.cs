using System.Text.Json;
using Archives.Contracts;
using Archives.Node.Records;

namespace Archives.Node.Seeding;

/// <summary><c>gateway-config/local/demo-citizens.json</c>: subjects with records in several nodes of the local federation.</summary>
internal sealed record DemoCitizensFile
{
    public required IReadOnlyList<DemoCitizen> Subjects { get; init; }
}

internal sealed record DemoCitizen
{
    public required IdNumber IdNumber { get; init; }

    public required string Name { get; init; }

    public required DateOnly BirthDate { get; init; }

    public required IReadOnlyList<DemoRecord> Records { get; init; }
}

internal sealed record DemoRecord
{
    public required string NodeId { get; init; }

    public required RecordCategory Category { get; init; }

    public required int Year { get; init; }

    public required bool HasIdNumber { get; init; }

    public required bool Digitised { get; init; }
}

internal static class DemoCitizens
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    public static DemoCitizensFile Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var file = JsonSerializer.Deserialize<DemoCitizensFile>(stream, Json)
                ?? throw new InvalidOperationException($"Node:DemoCitizensFile '{path}' is empty.");
            foreach (var subject in file.Subjects)
            {
                if (subject.IdNumber.BirthDate != subject.BirthDate)
                {
                    throw new InvalidOperationException($"Node:DemoCitizensFile '{path}': the birth date of {subject.IdNumber} does not agree with the ID number.");
                }
            }

            return file;
        }
        catch (JsonException e)
        {
            // Note: JsonException messages name the path and never repeat an ID number.
            throw new InvalidOperationException($"Node:DemoCitizensFile '{path}' is not a valid demo-citizens file: {e.Message}", e);
        }
    }

    /// <summary>
    /// The demo records held by a node, with ids stable across restarts and seeds:
    /// <c>DEMO-{subject}-{record}</c> by position in the file (one-based). Their contents come from a
    /// random stream of their own, so adding synthetic volume never changes them.
    /// </summary>
    public static IEnumerable<PersonalRecord> RecordsFor(DemoCitizensFile file, string nodeId, NodePlaces places, IReadOnlyList<RecordCategory> held)
    {
        for (var s = 0; s < file.Subjects.Count; s++)
        {
            var subject = file.Subjects[s];
            var person = new Person(subject.Name, subject.IdNumber.Sex, subject.BirthDate, subject.IdNumber);
            for (var r = 0; r < subject.Records.Count; r++)
            {
                var demo = subject.Records[r];
                if (demo.NodeId != nodeId || !held.Contains(demo.Category))
                {
                    continue;
                }

                var random = new Random(SeedMixer.Mix(s * 100 + r, places.Division, stream: 3));
                var eventDate = new DateOnly(demo.Year, 1, 1).AddDays(random.Next(DateTime.IsLeapYear(demo.Year) ? 366 : 365));
                var (fonds, classCode) = RecordGenerator.FilingOf(demo.Category, places);
                var reference = ArchivalReference.Create(fonds, $"{classCode}{ArchivalReference.PartSeparator}{demo.Year}", "9000", $"{s + 1:D2}{r + 1:D2}");
                yield return RecordGenerator.Build($"DEMO-{s + 1:D2}-{r + 1:D2}", demo.Category, person, eventDate, demo.HasIdNumber, demo.Digitised, reference, places, random);
            }
        }
    }
}

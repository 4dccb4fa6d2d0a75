using System.Globalization;
using System.Net;

namespace Archives.Conformance.Tests;

/// <summary>Personal records go to their subject only: exact by ID number, probable by name and birth date.</summary>
[Collection(NodeCollection.Name)]
public sealed class RecordsConformanceTests(NodeUnderTest node)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Kit_KnowsSubjectsAtThisNode()
        => Assert.NotEmpty(node.Subjects);

    [Fact]
    public async Task SearchById_ReturnsTheSubjectsRecords_ExactOnesCarryTheirMaskedId()
    {
        foreach (var subject in node.Subjects)
        {
            var result = await node.Api.SearchRecordsAsync(new RecordSearchRequest { Subject = new Subject { IdNumber = subject.IdNumber, Name = subject.Name } }, Ct);

            Assert.True(result.Records.Count >= subject.Records.Count, $"{subject.IdNumber}: expected at least {subject.Records.Count} records");
            Assert.All(result.Records, r =>
            {
                if (r.Match == MatchKind.Exact)
                {
                    Assert.Equal(subject.IdNumber.Masked, r.MaskedIdNumber);
                }
                else
                {
                    Assert.Null(r.MaskedIdNumber);
                    Assert.Equal(subject.Name, r.SubjectName);
                }
            });
            Assert.Equal(subject.Records.Count(r => r.HasIdNumber), result.Records.Count(r => r.Match == MatchKind.Exact));

            // Exact matches come first.
            Assert.Equal(result.Records.OrderBy(r => r.Match).Select(r => r.RecordId), result.Records.Select(r => r.RecordId));
        }
    }

    [Fact]
    public async Task SearchByNameAndBirthDate_ReturnsOnlyProbableMatches()
    {
        foreach (var subject in node.Subjects)
        {
            var result = await node.Api.SearchRecordsAsync(new RecordSearchRequest { Subject = new Subject { Name = subject.Name, BirthDate = subject.BirthDate } }, Ct);

            Assert.All(result.Records, r =>
            {
                Assert.Equal(MatchKind.Probable, r.Match);
                Assert.Null(r.MaskedIdNumber);
            });
            Assert.True(result.Records.Count >= subject.Records.Count(r => !r.HasIdNumber));
        }
    }

    [Fact]
    public async Task SearchByAnotherId_NeverReturnsTheSubjectsIdRecords()
    {
        foreach (var subject in node.Subjects)
        {
            var other = IdNumber.Create(subject.IdNumber.Division, subject.IdNumber.BirthDate, (int.Parse(subject.IdNumber.Value[14..17], CultureInfo.InvariantCulture) + 2) % 1000);

            var result = await node.Api.SearchRecordsAsync(new RecordSearchRequest { Subject = new Subject { IdNumber = other } }, Ct);

            Assert.DoesNotContain(result.Records, r => r.MaskedIdNumber == subject.IdNumber.Masked && r.Match == MatchKind.Exact && other.Masked != subject.IdNumber.Masked);
            Assert.All(result.Records.Where(r => r.Match == MatchKind.Exact), r => Assert.Equal(other.Masked, r.MaskedIdNumber));
        }
    }

    [Fact]
    public async Task SearchByWrongBirthDate_FindsNoneOfTheSubjectsRecords()
    {
        foreach (var subject in node.Subjects)
        {
            var right = await node.Api.SearchRecordsAsync(new RecordSearchRequest { Subject = new Subject { Name = subject.Name, BirthDate = subject.BirthDate } }, Ct);
            var wrong = await node.Api.SearchRecordsAsync(new RecordSearchRequest { Subject = new Subject { Name = subject.Name, BirthDate = subject.BirthDate.AddDays(1) } }, Ct);

            Assert.Empty(right.Records.Select(r => r.RecordId).Intersect(wrong.Records.Select(r => r.RecordId)));
        }
    }

    [Fact]
    public async Task SearchByCategory_ReturnsOnlyThatCategory()
    {
        var subject = node.Subjects.First();
        var category = subject.Records[0].Category;

        var result = await node.Api.SearchRecordsAsync(new RecordSearchRequest { Subject = new Subject { IdNumber = subject.IdNumber, Name = subject.Name }, Categories = [category] }, Ct);

        Assert.NotEmpty(result.Records);
        Assert.All(result.Records, r => Assert.Equal(category, r.Category));
    }

    [Fact]
    public async Task Lookup_OwnRecord_GivesEvidenceOrRetrievalNotice()
    {
        foreach (var subject in node.Subjects)
        {
            var found = await node.Api.SearchRecordsAsync(new RecordSearchRequest { Subject = new Subject { IdNumber = subject.IdNumber, Name = subject.Name } }, Ct);
            foreach (var record in found.Records)
            {
                using var response = await LookupAsync(record.RecordId, subject.IdNumber.Value, subject.Name, subject.BirthDate);

                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{record.RecordId}: {(int)response.StatusCode}");
                var lookup = Assert.IsType<RecordLookup>(response.Content);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var evidence = Assert.IsType<RecordEvidence>(lookup.Evidence);
                    Assert.Equal(RecordLookupStatus.Available, lookup.Status);
                    Assert.Equal(record.RecordId, evidence.RecordId);
                    Assert.Equal(node.Info.NodeId, evidence.NodeId);
                    Assert.Equal(record.ArchivalReference, evidence.ArchivalReference);
                    Assert.Equal(record.Match, evidence.Match);
                    Assert.False(string.IsNullOrWhiteSpace(evidence.Summary));
                    Assert.DoesNotContain(subject.IdNumber.Value, evidence.Summary, StringComparison.Ordinal);
                }
                else
                {
                    Assert.False(record.Digitised);
                    Assert.Equal(RecordLookupStatus.RetrievalPending, lookup.Status);
                    Assert.NotNull(response.Headers?.RetryAfter);
                    Assert.True(Assert.IsType<RecordRetrieval>(lookup.Retrieval).RetryAfterSeconds > 0);
                }
            }
        }
    }

    [Fact]
    public async Task Lookup_SomeoneElsesRecord_Is404LikeAMissingOne()
    {
        var subject = node.Subjects.First(s => s.Records.Any(r => r.HasIdNumber));
        var found = await node.Api.SearchRecordsAsync(new RecordSearchRequest { Subject = new Subject { IdNumber = subject.IdNumber } }, Ct);
        var record = found.Records.First(r => r.Match == MatchKind.Exact);
        var stranger = IdNumber.Create(subject.IdNumber.Division, new DateOnly(1990, 6, 1), 17);

        using var mismatch = await LookupAsync(record.RecordId, stranger.Value, "王芳", null);
        using var missing = await LookupAsync("no-such-record-0000", stranger.Value, "王芳", null);

        Assert.Equal(HttpStatusCode.NotFound, mismatch.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(Problem(missing), Problem(mismatch));

        // Title, detail and type: nothing in the answer tells a stranger that the record exists.
        static string Problem(Refit.IApiResponse response)
        {
            using var problem = System.Text.Json.JsonDocument.Parse((response.Error as Refit.ApiException)?.Content ?? "{}");
            var root = problem.RootElement;
            string Text(string name) => root.TryGetProperty(name, out var value) ? value.ToString() : "";
            return $"{Text("type")}|{Text("title")}|{Text("detail")}";
        }
    }

    [Fact]
    public async Task Lookup_ProbableRecord_NeedsNameAndBirthDate()
    {
        var subject = node.Subjects.FirstOrDefault(s => s.Records.Any(r => !r.HasIdNumber));
        Assert.SkipWhen(subject is null, "No known subject has a record without an ID number at this node.");
        var found = await node.Api.SearchRecordsAsync(new RecordSearchRequest { Subject = new Subject { Name = subject.Name, BirthDate = subject.BirthDate } }, Ct);
        var record = found.Records.First(r => r.Match == MatchKind.Probable);

        using var wrongBirth = await LookupAsync(record.RecordId, null, subject.Name, subject.BirthDate.AddYears(1));
        using var right = await LookupAsync(record.RecordId, null, subject.Name, subject.BirthDate);

        Assert.Equal(HttpStatusCode.NotFound, wrongBirth.StatusCode);
        Assert.True(right.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted);
    }

    private Task<Refit.IApiResponse<RecordLookup>> LookupAsync(string recordId, string? idNumber, string? name, DateOnly? birthDate)
        => node.Api.GetRecordAsync(
            recordId,
            idNumber,
            name is null ? null : Uri.EscapeDataString(name),
            birthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Ct);
}

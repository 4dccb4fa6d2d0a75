using System.Net;
using System.Text.Json;
using Archives.Contracts;
using Archives.Node.Tests.Catalogue;
using Archives.Node.Tests.Seeding;

namespace Archives.Node.Tests.Records;

public sealed class RecordLookupTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_DigitisedRecordOfSubject_Returns200WithEvidence()
    {
        var chen = DemoCitizensTests.Subject("陈建国");

        var response = await node.Api.GetRecordAsync("DEMO-01-01", null, Uri.EscapeDataString(chen.Name), "1955-03-12", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evidence = response.Content!.Evidence!;
        Assert.Equal(RecordLookupStatus.Available, response.Content.Status);
        Assert.Equal("DEMO-01-01", evidence.RecordId);
        Assert.Equal("330100", evidence.NodeId);
        Assert.Equal(RecordCategory.EducatedYouth, evidence.Category);
        Assert.Equal(MatchKind.Probable, evidence.Match);
        Assert.Equal(1972, evidence.EventDate.Year);
        Assert.Equal(chen.Name, evidence.SubjectName);
        Assert.Null(evidence.MaskedIdNumber);
        Assert.Equal(chen.BirthDate, evidence.SubjectBirthDate);
        Assert.Contains(chen.Name, evidence.Summary, StringComparison.Ordinal);
        Assert.True(evidence.Facts.ContainsKey("destination"));
    }

    [Fact]
    public async Task Get_RecordWithIdNumber_ReturnsExactEvidenceWithMaskedNumber()
    {
        var chen = DemoCitizensTests.Subject("陈建国");

        var response = await node.Api.GetRecordAsync("DEMO-01-04", chen.IdNumber.Value, null, null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MatchKind.Exact, response.Content!.Evidence!.Match);
        Assert.Equal(chen.IdNumber.Masked, response.Content.Evidence.MaskedIdNumber);
        Assert.DoesNotContain(chen.IdNumber.Value, JsonSerializer.Serialize(response.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_PaperRecord_Returns202WithRetryAfterThen200WhenRetrieved()
    {
        var li = DemoCitizensTests.Subject("李明");

        var first = await node.Api.GetRecordAsync("DEMO-03-02", li.IdNumber.Value, Uri.EscapeDataString(li.Name), null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(RecordLookupStatus.RetrievalPending, first.Content!.Status);
        Assert.Null(first.Content.Evidence);
        var retrieval = first.Content.Retrieval!;
        Assert.InRange(retrieval.RetryAfterSeconds, 1, 2);
        Assert.Equal(retrieval.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), first.Headers!.RetryAfter?.ToString());

        // Asking again does not start the retrieval again.
        var second = await node.Api.GetRecordAsync("DEMO-03-02", li.IdNumber.Value, Uri.EscapeDataString(li.Name), null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(retrieval.ReadyAt, second.Content!.Retrieval!.ReadyAt);

        var wait = retrieval.ReadyAt - DateTimeOffset.UtcNow;
        await Task.Delay(wait > TimeSpan.Zero ? wait + TimeSpan.FromMilliseconds(100) : TimeSpan.Zero, Ct);
        var ready = await node.Api.GetRecordAsync("DEMO-03-02", li.IdNumber.Value, Uri.EscapeDataString(li.Name), null, Ct);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(RecordLookupStatus.Available, ready.Content!.Status);
        Assert.Equal(RecordCategory.Employment, ready.Content.Evidence!.Category);
        Assert.Equal(MatchKind.Exact, ready.Content.Evidence.Match);
    }

    [Fact]
    public async Task Get_OtherSubjectsRecord_Returns404LikeAMissingRecord()
    {
        var chen = DemoCitizensTests.Subject("陈建国");
        var li = DemoCitizensTests.Subject("李明");

        var wrongSubject = await node.Api.GetRecordAsync("DEMO-01-04", li.IdNumber.Value, null, null, Ct);
        var wrongBirthDate = await node.Api.GetRecordAsync("DEMO-01-01", null, Uri.EscapeDataString(chen.Name), "1955-03-13", Ct);
        var missing = await node.Api.GetRecordAsync("DEMO-99-99", chen.IdNumber.Value, null, null, Ct);

        foreach (var response in new[] { wrongSubject, wrongBirthDate, missing })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", Error(response).ContentHeaders!.ContentType!.MediaType);
        }

        Assert.Equal(Problem(Error(missing).Content!), Problem(Error(wrongSubject).Content!));
        Assert.Equal(Problem(Error(missing).Content!), Problem(Error(wrongBirthDate).Content!));
    }

    [Fact]
    public async Task Get_PaperRecordOfOtherSubject_Returns404AndStartsNoRetrieval()
    {
        var chen = DemoCitizensTests.Subject("陈建国");

        var response = await node.Api.GetRecordAsync("DEMO-03-02", chen.IdNumber.Value, null, null, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(null, null, null, "subject")]
    [InlineData("330106195503121239", null, null, NodeContract.SubjectHeaders.IdNumber)]
    [InlineData("33010619550312", null, null, NodeContract.SubjectHeaders.IdNumber)]
    [InlineData(null, "%E9%99%88%E5%BB%BA%E5%9B%BD", null, NodeContract.SubjectHeaders.BirthDate)]
    [InlineData(null, "%E9%99%88%E5%BB%BA%E5%9B%BD", "1955-02-30", NodeContract.SubjectHeaders.BirthDate)]
    [InlineData(null, "%E9%99%88%E5%BB%BA%E5%9B%BD", "12/03/1955", NodeContract.SubjectHeaders.BirthDate)]
    [InlineData(null, null, "1955-03-12", NodeContract.SubjectHeaders.Name)]
    [InlineData("330106195503121238", null, "1955-03-13", NodeContract.SubjectHeaders.BirthDate)]
    public async Task Get_BadSubjectHeaders_Returns400NamingTheHeader(string? idNumber, string? name, string? birthDate, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/node/v1/records/DEMO-01-01");
        if (idNumber is not null)
        {
            request.Headers.Add(NodeContract.SubjectHeaders.IdNumber, idNumber);
        }

        if (name is not null)
        {
            request.Headers.Add(NodeContract.SubjectHeaders.Name, name);
        }

        if (birthDate is not null)
        {
            request.Headers.Add(NodeContract.SubjectHeaders.BirthDate, birthDate);
        }

        using var response = await node.Http.SendAsync(request, Ct);

        await CatalogueValidationTests.AssertValidationProblemAsync(response, field);
        Assert.DoesNotContain("330106195503121", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_NameTooLong_Returns400NamingTheHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/node/v1/records/DEMO-01-01");
        request.Headers.Add(NodeContract.SubjectHeaders.Name, Uri.EscapeDataString(new string('陈', NodeContract.MaxNameLength + 1)));
        request.Headers.Add(NodeContract.SubjectHeaders.BirthDate, "1955-03-12");

        using var response = await node.Http.SendAsync(request, Ct);

        await CatalogueValidationTests.AssertValidationProblemAsync(response, NodeContract.SubjectHeaders.Name);
    }

    private static Refit.ApiException Error(Refit.IApiResponse response) => Assert.IsType<Refit.ApiException>(response.Error, exactMatch: false);

    private static (int, string?, string?) Problem(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return (root.GetProperty("status").GetInt32(), root.GetProperty("title").GetString(), root.GetProperty("detail").GetString());
    }
}

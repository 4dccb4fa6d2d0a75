using System.Globalization;
using System.Text.Json;
using Archives.Contracts;
using Archives.Node.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Archives.Node.Records;

internal static class RecordsApi
{
    /// <summary>The largest search body accepted: a subject and a few category codes fit many times over.</summary>
    public const int MaxSearchBodyBytes = NodeContract.MaxRequestBodyBytes;

    /// <summary>The most records returned for one subject (a person has a handful; this bounds the query).</summary>
    public const int MaxRecords = 200;

    /// <summary><c>POST records/search</c> and <c>GET records/{recordId}</c>: one subject's personal records.</summary>
    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/records").WithTags("Records");
        group.MapPost("/search", SearchAsync)
            .WithName("SearchRecords")
            .WithMetadata(new RequestSizeLimitAttribute(MaxSearchBodyBytes))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/{recordId}", GetAsync).WithName("GetRecord")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task<Results<Ok<RecordSearchResult>, ValidationProblem>> SearchAsync(
        RecordSearchRequest request,
        NodeDbContext db,
        IOptions<NodeOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        // Subject is `required` in the contract, but the node reads it as optional (see
        // ProblemHandling) so that its absence is reported under the field's own name.
        var subject = SubjectQuery.Validate(request.Subject, SubjectFields.Body, time, errors);
        if (request.Purpose is { Length: > NodeContract.MaxPurposeLength })
        {
            errors["purpose"] = [$"purpose has at most {NodeContract.MaxPurposeLength} characters."];
        }

        if (subject is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var held = options.Value.GetHeldCategories();
        // A category the node does not hold simply has no records here.
        var codes = (request.Categories is { Count: > 0 } asked ? held.Where(asked.Contains) : held).Select(c => c.Code).ToArray();
        if (codes.Length == 0)
        {
            return TypedResults.Ok(new RecordSearchResult { Records = [] });
        }

        var matches = new List<RecordMatch>();
        if (subject.IdNumber is { } idNumber)
        {
            var id = idNumber.Value;
            var name = subject.Name;
            var exact = await db.PersonalRecords
                .Where(r => r.IdNumber == id && codes.Contains(r.Category) && (name == null || r.SubjectName == name))
                .OrderBy(r => r.EventDate).ThenBy(r => r.Id)
                .Take(MaxRecords)
                .ToListAsync(cancellationToken);
            matches.AddRange(exact.Select(r => ToMatch(r, MatchKind.Exact)));
        }

        if (subject is { Name: { } subjectName, BirthDate: { } birthDate } && matches.Count < MaxRecords)
        {
            var probable = await db.PersonalRecords
                .Where(r => r.IdNumber == null && r.SubjectName == subjectName && r.SubjectBirthDate == birthDate && codes.Contains(r.Category))
                .OrderBy(r => r.EventDate).ThenBy(r => r.Id)
                .Take(MaxRecords - matches.Count)
                .ToListAsync(cancellationToken);
            matches.AddRange(probable.Select(r => ToMatch(r, MatchKind.Probable)));
        }

        return TypedResults.Ok(new RecordSearchResult { Records = matches });
    }

    public static async Task<Results<Ok<RecordLookup>, Accepted<RecordLookup>, ProblemHttpResult, ValidationProblem>> GetAsync(
        string recordId,
        [FromHeader(Name = NodeContract.SubjectHeaders.IdNumber)] string? idNumber,
        [FromHeader(Name = NodeContract.SubjectHeaders.Name)] string? name,
        [FromHeader(Name = NodeContract.SubjectHeaders.BirthDate)] string? birthDate,
        HttpResponse response,
        NodeDbContext db,
        IOptions<NodeOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var fields = SubjectFields.Headers;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        IdNumber? parsedId = null;
        if (!string.IsNullOrWhiteSpace(idNumber) && !IdNumber.TryParse(idNumber, out parsedId, out var idError))
        {
            errors[fields.IdNumber] = [idError];
        }

        string? decodedName = null;
        if (!string.IsNullOrWhiteSpace(name))
        {
            // Percent-encoded UTF-8; three bytes a character at most for Chinese, three characters a byte.
            decodedName = name.Length > NodeContract.MaxNameLength * 12 ? new string('?', NodeContract.MaxNameLength + 1) : Uri.UnescapeDataString(name);
        }

        DateOnly? parsedBirthDate = null;
        if (!string.IsNullOrWhiteSpace(birthDate))
        {
            if (DateOnly.TryParseExact(birthDate.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                parsedBirthDate = date;
            }
            else
            {
                errors[fields.BirthDate] = ["The birth date is written yyyy-MM-dd."];
            }
        }

        var subject = errors.Count == 0
            ? SubjectQuery.Validate(new Subject { IdNumber = parsedId, Name = decodedName, BirthDate = parsedBirthDate }, fields, time, errors)
            : null;
        if (subject is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var record = recordId.Length <= 40 ? await db.PersonalRecords.FirstOrDefaultAsync(r => r.Id == recordId, cancellationToken) : null;
        // Note: a record that exists but is someone else's answers exactly as one that does not,
        // so the endpoint cannot be used to learn which records exist.
        if (record is null || subject.Match(record) is not { } match)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Record not found",
                detail: "The node holds no record with this id for this subject.");
        }

        if (!record.Digitised)
        {
            var retrieval = await StartOrFindRetrievalAsync(db, record.Id, options.Value.RetrievalDelay, time, cancellationToken);
            var now = time.GetUtcNow();
            if (retrieval.ReadyAt > now)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling((retrieval.ReadyAt - now).TotalSeconds));
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Accepted((string?)null, new RecordLookup
                {
                    Status = RecordLookupStatus.RetrievalPending,
                    Retrieval = new RecordRetrieval { ReadyAt = retrieval.ReadyAt, RetryAfterSeconds = seconds },
                });
            }
        }

        return TypedResults.Ok(new RecordLookup
        {
            Status = RecordLookupStatus.Available,
            Evidence = new RecordEvidence
            {
                RecordId = record.Id,
                NodeId = options.Value.Id,
                Category = RecordCategory.Parse(record.Category),
                ArchivalReference = ArchivalReference.Parse(record.ArchivalReference),
                Title = record.Title,
                Summary = record.Summary,
                EventDate = record.EventDate,
                SubjectName = record.SubjectName,
                MaskedIdNumber = record.IdNumber is null ? null : IdNumber.Mask(record.IdNumber),
                SubjectBirthDate = record.SubjectBirthDate,
                Match = match,
                Facts = JsonSerializer.Deserialize<Dictionary<string, string>>(record.FactsJson) ?? [],
            },
        });
    }

    /// <summary>The first request for a paper record starts its retrieval; later ones find it (also after a restart).</summary>
    private static async Task<Retrieval> StartOrFindRetrievalAsync(NodeDbContext db, string recordId, TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        var existing = await db.Retrievals.FirstOrDefaultAsync(r => r.RecordId == recordId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var now = time.GetUtcNow();
        var retrieval = new Retrieval { RecordId = recordId, RequestedAt = now, ReadyAt = now + delay };
        db.Retrievals.Add(retrieval);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return retrieval;
        }
        catch (DbUpdateException)
        {
            // Two first requests at once: the other one started it.
            db.ChangeTracker.Clear();
            return await db.Retrievals.FirstAsync(r => r.RecordId == recordId, cancellationToken);
        }
    }

    private static RecordMatch ToMatch(PersonalRecord record, MatchKind match) => new()
    {
        RecordId = record.Id,
        Category = RecordCategory.Parse(record.Category),
        ArchivalReference = ArchivalReference.Parse(record.ArchivalReference),
        Title = record.Title,
        EventDate = record.EventDate,
        SubjectName = record.SubjectName,
        MaskedIdNumber = record.IdNumber is null ? null : IdNumber.Mask(record.IdNumber),
        Match = match,
        Digitised = record.Digitised,
    };
}

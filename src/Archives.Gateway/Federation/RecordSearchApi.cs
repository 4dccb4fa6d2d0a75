using System.Net.Mime;
using System.Text.Json;
using Archives.Contracts;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Federation;

/// <summary><c>POST /api/v1/records/search</c>: a subject's personal records across the nodes.</summary>
internal static class RecordSearchApi
{
    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxPurposeLength = 200;

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 8,
    };

    public static IEndpointRouteBuilder MapRecordSearchApi(this IEndpointRouteBuilder app)
    {
        // The group is where the records.search policy, rate limits and audit attach later.
        var records = app.MapGroup("/api/v1/records").WithTags("Personal records");
        records.MapPost("/search", Search);
        return app;
    }

    /// <summary>The request body.</summary>
    internal sealed record Body
    {
        public Subject? Subject { get; init; }

        public IReadOnlyList<RecordCategory>? Categories { get; init; }

        public IReadOnlyList<RegionPrefix>? Regions { get; init; }

        /// <summary>查档用途, required.</summary>
        public string? Purpose { get; init; }
    }

    private static async Task<Results<Ok<RecordSearchAnswer>, ValidationProblem, ProblemHttpResult>> Search(
        HttpContext context, RecordFederation federation, IOptionsSnapshot<FederationOptions> options)
    {
        // Note: personal data; no shared cache or proxy may keep the answer.
        context.Response.Headers.CacheControl = "no-store";

        if (!context.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"The body is {MediaTypeNames.Application.Json}.");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
        }

        Body? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<Body>(context.Request.Body, BodyJson, context.RequestAborted);
        }
        catch (JsonException e)
        {
            // The contract's converters explain what is wrong without repeating the value.
            return Invalid(Field(e.Path), e.Message.Split(" Path:", 2)[0]);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                detail: $"The body has at most {MaxBodyBytes} bytes.");
        }

        var errors = new Dictionary<string, string[]>();
        var subject = body?.Subject;
        if (subject is null)
        {
            errors["subject"] = ["'subject' is required: idNumber, or name and birthDate."];
        }
        else
        {
            if (subject.IdNumber is null && (string.IsNullOrWhiteSpace(subject.Name) || subject.BirthDate is null))
            {
                errors["subject"] = ["Give subject.idNumber, or subject.name and subject.birthDate."];
            }

            if (subject.Name is { } name && (name.Trim().Length is 0 or > NodeContract.MaxNameLength || name.Any(char.IsControl)))
            {
                errors["subject.name"] = [$"'subject.name' has 1 to {NodeContract.MaxNameLength} characters."];
            }

            var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
            if (subject.BirthDate is { } birth && (birth < IdNumber.EarliestBirthDate || birth > today))
            {
                errors["subject.birthDate"] = ["'subject.birthDate' is not a plausible birth date."];
            }
            else if (subject.BirthDate is { } given && subject.IdNumber is { } id && given != id.BirthDate)
            {
                errors["subject.birthDate"] = ["'subject.birthDate' differs from the birth date inside subject.idNumber."];
            }
        }

        var purpose = body?.Purpose?.Trim();
        if (string.IsNullOrEmpty(purpose))
        {
            errors["purpose"] = ["'purpose' (查档用途) is required."];
        }
        else if (purpose.Length > MaxPurposeLength || purpose.Any(char.IsControl))
        {
            errors["purpose"] = [$"'purpose' has at most {MaxPurposeLength} characters."];
        }

        var regions = body?.Regions ?? [];
        if (regions.Count > options.Value.MaxRegionsPerRequest)
        {
            errors["regions"] = [$"'regions' names at most {options.Value.MaxRegionsPerRequest} regions."];
        }

        if (regions.Any(r => r is null))
        {
            errors["regions"] = ["'regions' may not contain null."];
        }

        var categories = body?.Categories ?? [];
        if (categories.Any(c => c is null))
        {
            errors["categories"] = ["'categories' may not contain null."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The search request is not valid.");
        }

        var normalisedSubject = subject! with { Name = subject.Name?.Trim() };
        var answer = await federation.SearchAsync(normalisedSubject, [.. categories.Distinct()], [.. regions.Distinct()], purpose!, context.RequestAborted);
        return TypedResults.Ok(answer);
    }

    private static ValidationProblem Invalid(string field, string message)
        => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The search request is not valid.");

    /// <summary><c>$.subject.idNumber</c> → <c>subject.idNumber</c>; the body itself when there is no path.</summary>
    private static string Field(string? path)
        => string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');
}

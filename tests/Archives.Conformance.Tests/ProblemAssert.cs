using System.Net;
using System.Text.Json;

namespace Archives.Conformance.Tests;

/// <summary>Checks that an answer is an RFC 9457 problem, and that a 400 names the offending field.</summary>
internal static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("title", out _), "A problem has a title.");
        return problem;
    }

    /// <summary>The field itself, or one inside it (<c>subject</c> is named by <c>subject.birthDate</c>, <c>categories</c> by <c>categories[0]</c>).</summary>
    public static async Task NamesFieldAsync(HttpResponseMessage response, string field)
    {
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors), $"A 400 problem lists its errors by field: {problem}");
        var fields = errors.EnumerateObject().Select(e => e.Name).ToList();
        Assert.True(
            fields.Select(f => f.StartsWith("$.", StringComparison.Ordinal) ? f[2..] : f).Any(f =>
                string.Equals(f, field, StringComparison.OrdinalIgnoreCase)
                || f.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase)
                || f.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase)),
            $"Expected the field '{field}' among [{string.Join(", ", fields)}].");
    }
}

using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archives.Node.Tests.Auth;

/// <summary>What a refused request looks like, and requests with a chosen token.</summary>
internal static class AuthAssert
{
    /// <summary>The node's protected operations, one request each.</summary>
    public static TheoryData<string, string> ProtectedOperations => new()
    {
        { "GET", "/node/v1/catalog/search?q=%E6%A1%A3%E6%A1%88" },
        { "POST", "/node/v1/records/search" },
        { "GET", "/node/v1/records/DEMO-01-04" },
    };

    public static HttpRequestMessage Request(string method, string path, string? token = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"subject":{"name":"陈建国","birthDate":"1961-03-15"}}""", Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient http, string method, string path, string? token = null)
    {
        using var request = Request(method, path, token);
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// A 401 problem (RFC 9457) with a Bearer challenge (RFC 6750); <paramref name="error"/> is the
    /// challenge's <c>error</c>, absent when no token was sent. Returns the challenge's parameters.
    /// </summary>
    public static async Task<string> IsUnauthorizedAsync(HttpResponseMessage response, string? error = "invalid_token")
    {
        await IsProblemAsync(response, HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        if (error is null)
        {
            Assert.Null(challenge.Parameter);
            return "";
        }

        Assert.Contains($"error=\"{error}\"", challenge.Parameter, StringComparison.Ordinal);
        return challenge.Parameter!;
    }

    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>The token with its payload changed by <paramref name="change"/>, header and signature kept.</summary>
    public static string WithPayload(string token, Action<JsonObject> change)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        change(payload);
        parts[1] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return string.Join('.', parts);
    }

    /// <summary>A claim of the token's payload, read without validation.</summary>
    public static JsonNode? Claim(string token, string name) => JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]))![name];
}

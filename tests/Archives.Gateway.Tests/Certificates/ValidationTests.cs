using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>Bad input is a 4xx problem naming the field; none reaches a node or the ledger.</summary>
public sealed class ValidationTests(CertificateWorld world) : IClassFixture<CertificateWorld>
{
    public static TheoryData<string, string> BadBodies => new()
    {
        // A JSON edit of a good request, and the field the problem must name.
        { "purpose=", "purpose" },
        { "purpose=" + new string('用', 201), "purpose" },
        { "-purpose", "purpose" },
        { "-use", "use" },
        { "use=borrow", "use" },
        { "subject.idNumber=330106195503121239", "subject.idNumber" },
        { "-subject", "subject" },
        { "record.recordId=../../admin", "record.recordId" },
        { "-record", "record" },
        { "applicant.relation=agent", "applicant.powerOfAttorneyReference" },
        { "applicant.relation=official", "applicant.letterReference" },
        { "issuedVia.hall=330200", "issuedVia.hall" },
        { "surprise=1", "surprise" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Issue_BadBody_Returns400NamingTheField(string edit, string field)
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var body = JsonSerializer.SerializeToNode(CertificateWorld.ChenOneChild(), JsonSerializerOptions.Web)!.AsObject();
        Apply(body, edit);

        using var response = await SendAsync(client, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"errors name {string.Join(", ", errors.Select(e => e.Key))}, not {field}");
        Assert.DoesNotContain("330106195503121239", errors.ToJsonString());
    }

    public static TheoryData<string?> BadKeys => new()
    {
        (string?)null,
        "",
        new string('k', 256),
        "two words",
        "quote\"inside",
        "\"unterminated",
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task Issue_MissingOrMalformedIdempotencyKey_Returns400NamingTheHeader(string? key)
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());

        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["errors"]!["Idempotency-Key"]);
    }

    [Fact]
    public async Task Issue_KeyOf255Characters_IsAccepted()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());

        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), new string('k', 254) + Guid.NewGuid().ToString("N")[0]);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Issue_BodyTooLarge_Returns413Problem()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var body = JsonSerializer.SerializeToNode(CertificateWorld.ChenOneChild(), JsonSerializerOptions.Web)!.AsObject();
        body["purpose"] = new string('x', 40_000);

        using var response = await SendAsync(client, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull((await response.ReadJsonAsync())["errors"]!["body"]);
    }

    [Fact]
    public async Task Issue_BodyTooLargeWithoutContentLength_Returns413Problem()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var json = "{\"purpose\":\"" + new string('x', 40_000) + "\"}";
        var content = new StreamContent(new NoLengthStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await SendAsync(client, content, CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Issue_NotJson_Returns415()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());

        using var response = await SendAsync(client, new StringContent("purpose=x", Encoding.UTF8, "application/x-www-form-urlencoded"), CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Revoke_WithoutReason_Returns400NamingReason()
    {
        using var ops = world.Gateway.ClientFor(Callers.Operator());

        using var response = await ops.PostAsJsonAsync("/api/v1/certificates/330100-20260101-ABCDEF/revoke", new { reason = " " }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["errors"]!["reason"]);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpContent content, string key)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/certificates") { Content = content };
        message.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await client.SendAsync(message, Ct);
    }

    /// <summary><c>path=value</c> sets a string, <c>-path</c> removes a property.</summary>
    private static void Apply(JsonObject body, string edit)
    {
        var remove = edit.StartsWith('-');
        var (path, value) = remove ? (edit[1..], null) : (edit[..edit.IndexOf('=')], edit[(edit.IndexOf('=') + 1)..]);
        var parts = path.Split('.');
        var target = body;
        foreach (var part in parts[..^1])
        {
            target = target[part]!.AsObject();
        }

        if (remove)
        {
            target.Remove(parts[^1]);
        }
        else
        {
            target[parts[^1]] = value;
        }
    }

    /// <summary>A body sent chunked, so the size limit is enforced while reading.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

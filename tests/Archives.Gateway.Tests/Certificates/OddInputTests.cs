using System.Text;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>No input to the certificate endpoints makes a 500.</summary>
public sealed class OddInputTests(CertificateWorld world) : IClassFixture<CertificateWorld>
{
    public static TheoryData<string, string?> Requests => new()
    {
        { "GET /verify/x", null },
        { "GET /verify/" + new string('9', 2000) + "?code=" + new string('A', 2000), null },
        { "GET /verify/330100-20260101-ABCDEF?code=%00%FF", null },
        { "GET /api/v1/certificates/%20", null },
        { "GET /api/v1/certificates/330100-20260101-abcdef/pdf", null },
        { "POST /api/v1/certificates/verify", "{\"jws\":\"a.b.c\"}" },
        { "POST /api/v1/certificates/verify", "{\"jws\":\"" + new string('x', 20_000) + "\"}" },
        { "POST /api/v1/certificates/verify", "{\"jws\":\"eyJhbGciOiJub25lIn0.eyJudW1iZXIiOjF9.\"}" },
        { "POST /api/v1/certificates/verify", "{\"number\":5}" },
        { "POST /api/v1/certificates/verify", "[1,2,3]" },
        { "POST /api/v1/certificates/verify", "null" },
        { "POST /api/v1/certificates/verify", "{" + string.Concat(Enumerable.Repeat("\"a\":{", 50)) },
        { "POST /api/v1/certificates", "{\"subject\":{\"birthDate\":\"1955-02-30\"}}" },
        { "POST /api/v1/certificates", "{\"record\":{\"nodeId\":null,\"recordId\":[]}}" },
        { "POST /api/v1/certificates", "{\"applicant\":{\"relation\":\"cousin\"}}" },
        { "POST /api/v1/certificates/330100-20260101-ABCDEF/revoke", "{\"reason\":1}" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task OddInput_IsA4xxOrAnAnswer_NeverA500(string request, string? body)
    {
        var (method, path) = (request.Split(' ')[0], request.Split(' ', 2)[1]);
        using var client = world.Gateway.ClientFor(path == "/api/v1/certificates" ? Callers.HangzhouClerk() : Callers.Operator());
        using var message = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            message.Content = new StringContent(body, Encoding.UTF8, "application/json");
            message.Headers.TryAddWithoutValidation("Idempotency-Key", CertificateWorld.NewKey());
        }

        using var response = await client.SendAsync(message, Ct);

        Assert.True((int)response.StatusCode < 500, $"{request} answered {(int)response.StatusCode}");
        if ((int)response.StatusCode >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}

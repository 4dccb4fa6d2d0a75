using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Archives.Contracts;
using Archives.Gateway.Tests.Fixtures;
using Archives.Testing;

namespace Archives.Gateway.Tests.Access;

/// <summary>One gateway over one node, shared by the matrix rows.</summary>
public sealed class MatrixGateway : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        Gateway = GatewayHost.Start([Node]);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Node.DisposeAsync();
    }
}

/// <summary>
/// Every local client that can use client credentials, and anonymous callers, against every gateway
/// endpoint, with real tokens of the real identity server (each client asks for every scope it may
/// have); then tokens that must never be accepted.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixGateway fixture) : IClassFixture<MatrixGateway>
{
    private static readonly Dictionary<string, string[]> ScopesOf = new()
    {
        ["zheliban"] = ["catalog.read", "records.search", "certificates.issue", "certificates.read"],
        ["partner-shanghai"] = ["catalog.read", "records.search", "certificates.issue", "certificates.read"],
        ["partner-jiangsu"] = ["catalog.read", "records.search", "certificates.issue", "certificates.read"],
        ["partner-anhui"] = ["catalog.read", "records.search", "certificates.issue", "certificates.read"],
        ["gateway"] = ["node.api"],
        ["ops"] = ["audit.read", "certificates.read", "certificates.revoke", "catalog.read"],
    };

    private static readonly IdNumber Subject = IdNumber.Create(DivisionCode.Parse("330106"), new DateOnly(1960, 5, 4), 123);

    /// <summary>endpoint → expected status for: anonymous, zheliban, partner-shanghai, partner-jiangsu, partner-anhui, gateway, ops.</summary>
    public static TheoryData<string, string, int> Matrix()
    {
        string[] callers = ["anonymous", "zheliban", "partner-shanghai", "partner-jiangsu", "partner-anhui", "gateway", "ops"];
        var table = new Dictionary<string, int[]>
        {
            // Public registry and open catalogue; a node token (audience archives-node) is refused, not ignored.
            ["GET /api/v1/nodes"] = [200, 200, 200, 200, 200, 401, 200],
            ["GET /api/v1/catalog/search"] = [200, 200, 200, 200, 200, 401, 200],
            // Personal records: records.search, and a category the agreement covers (marriage: all partners).
            ["POST /api/v1/records/search marriage"] = [401, 200, 200, 200, 200, 401, 403],
            // military-service: in zheliban's and Jiangsu's agreements, not Shanghai's or Anhui's.
            ["POST /api/v1/records/search military-service"] = [401, 200, 403, 200, 403, 401, 403],
            // The same search as a stream: the same rules.
            ["POST /api/v1/records/search/stream marriage"] = [401, 200, 200, 200, 200, 401, 403],
            ["POST /api/v1/records/search/stream military-service"] = [401, 200, 403, 200, 403, 401, 403],
            // The day list: certificates.issue or certificates.read (each sees only its own client's).
            ["GET /api/v1/certificates"] = [401, 200, 200, 200, 200, 401, 200],
            // Operators only (audit.read).
            ["POST /api/v1/admin/nodes/330100/invalidate"] = [401, 403, 403, 403, 403, 401, 204],
            // Pass-through: catalog.read; a node's personal records never.
            ["GET /nodes/330100/node/v1/catalog/search"] = [401, 200, 200, 200, 200, 401, 200],
            ["POST /nodes/330100/node/v1/records/search"] = [401, 403, 403, 403, 403, 401, 403],
            // The audit log and its chain check: auditors (audit.read) only.
            ["GET /api/v1/audit"] = [401, 403, 403, 403, 403, 401, 200],
            ["GET /api/v1/audit/verify"] = [401, 403, 403, 403, 403, 401, 200],
        };
        var data = new TheoryData<string, string, int>();
        foreach (var (endpoint, expected) in table)
        {
            for (var i = 0; i < callers.Length; i++)
            {
                data.Add(endpoint, callers[i], expected[i]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Endpoint_AnswersTheCallerWithTheExpectedStatus(string endpoint, string caller, int expected)
    {
        using var request = Request(endpoint);
        if (caller != "anonymous")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Identity.GetTokenAsync(caller, ScopesOf[caller], Ct));
        }

        var response = await fixture.Gateway.Anonymous.SendAsync(request, Ct);

        Assert.Equal(expected, (int)response.StatusCode);
        if (expected is 401 or 403)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        if (expected == 401)
        {
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }
    }

    [Fact]
    public async Task MissingScope_Is403_NamingTheScopeInWwwAuthenticate()
    {
        using var request = Request("POST /api/v1/records/search marriage");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Identity.GetTokenAsync("zheliban", ["catalog.read"], Ct));

        var response = await fixture.Gateway.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.Contains("insufficient_scope", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"records.search\"", challenge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET /api/v1/audit", "zheliban", "audit.read")]
    [InlineData("GET /api/v1/audit/verify", "partner-jiangsu", "audit.read")]
    // certificate-reader: any of three scopes, named all three (never a guess such as catalog.read).
    [InlineData("GET /api/v1/certificates/330100-20260101-ABCDEF", "partner-shanghai", "certificates.issue certificates.read audit.read")]
    [InlineData("GET /api/v1/certificates/330100-20260101-ABCDEF/pdf", "zheliban", "certificates.issue certificates.read audit.read")]
    [InlineData("POST /api/v1/certificates/330100-20260101-ABCDEF/revoke", "zheliban", "certificates.revoke")]
    [InlineData("GET /api/v1/certificates", "partner-anhui", "certificates.issue certificates.read")]
    [InlineData("POST /api/v1/admin/nodes/330100/invalidate", "zheliban", "audit.read")]
    public async Task Forbidden_NamesTheScopesTheEndpointNeeds(string endpoint, string caller, string scopes)
    {
        using var request = Request(endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Identity.GetTokenAsync(caller, ["catalog.read"], Ct));

        var response = await fixture.Gateway.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.Contains("insufficient_scope", challenge, StringComparison.Ordinal);
        Assert.Contains($"scope=\"{scopes}\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PassThrough_NeverForwardsPersonalRecordRequests()
    {
        var before = fixture.Node.RequestsTo("/node/v1/records/search");
        using var request = Request("POST /nodes/330100/NODE/v1/Records/search");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Identity.GetTokenAsync("zheliban", ScopesOf["zheliban"], Ct));

        var response = await fixture.Gateway.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, fixture.Node.RequestsTo("/node/v1/records/search"));
    }

    [Theory]
    [InlineData("GET /api/v1/nodes")]
    [InlineData("GET /api/v1/catalog/search")]
    [InlineData("POST /api/v1/records/search marriage")]
    [InlineData("GET /nodes/330100/node/v1/catalog/search")]
    public async Task TamperedOrForeignTokens_Are401(string endpoint)
    {
        var good = await Identity.GetTokenAsync("zheliban", ScopesOf["zheliban"], Ct);
        var parts = good.Split('.');
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlDecode(parts[1]))!;
        claims["scope"] = JsonSerializer.SerializeToElement("catalog.read records.search audit.read");
        var tampered = $"{parts[0]}.{Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(claims))}.{parts[2]}";
        var unsigned = $"{parts[0]}.{parts[1]}.";
        string[] refused = [tampered, unsigned, "not-a-token", good[..^4] + "AAAA"];

        foreach (var token in refused)
        {
            using var request = Request(endpoint);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

            var response = await fixture.Gateway.Anonymous.SendAsync(request, Ct);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }
    }

    internal static HttpRequestMessage Request(string endpoint)
    {
        var parts = endpoint.Split(' ');
        var (method, path) = (new HttpMethod(parts[0]), parts[1]);
        if (path.EndsWith("/catalog/search", StringComparison.Ordinal))
        {
            path += "?q=%E6%A1%A3%E6%A1%88";
        }

        var request = new HttpRequestMessage(method, path);
        if (path.Contains("records/search", StringComparison.OrdinalIgnoreCase))
        {
            request.Content = JsonContent.Create(
                new
                {
                    subject = new { idNumber = Subject.Value },
                    categories = new[] { parts.Length > 2 ? parts[2] : "marriage" },
                    purpose = "婚姻证明",
                },
                options: JsonSerializerOptions.Web);
        }

        return request;
    }

    private static byte[] Base64UrlDecode(string s) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(s);

    private static string Base64UrlEncode(byte[] bytes) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(bytes);
}

/// <summary>A second identity server with three-second tokens: its tokens are from another issuer for the main gateway, and expire quickly.</summary>
public sealed class ShortLivedIdentity() : IdentityServerFixture(new Dictionary<string, string> { ["Identity:AccessTokenLifetime"] = "00:00:03" });

public sealed class ForeignAndExpiredTokenTests(ShortLivedIdentity other) : IClassFixture<ShortLivedIdentity>
{
    [Fact]
    public async Task TokenOfAnotherIssuer_Is401()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog/search?q=x");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await other.RequestTokenAsync("zheliban", ["catalog.read"], Ct));

        var response = await gateway.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_Is401_SayingItExpired()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node], new Dictionary<string, string?>
        {
            ["Gateway:Auth:Authority"] = other.Issuer.AbsoluteUri,
            ["Gateway:Auth:ClockSkew"] = "00:00:00",
        });
        var token = await other.RequestTokenAsync("zheliban", ["catalog.read"], Ct);
        await Task.Delay(TimeSpan.FromSeconds(4), Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog/search?q=x");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await gateway.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", Assert.Single(response.Headers.WwwAuthenticate).ToString(), StringComparison.OrdinalIgnoreCase);
    }
}

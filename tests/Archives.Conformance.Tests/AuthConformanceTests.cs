using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Archives.Conformance.Tests;

/// <summary>
/// Everything but <c>info</c> and <c>/health/*</c> needs the gateway's <c>node.api</c> token: without
/// one, or with one that is not a token, a node answers 401 with a Bearer challenge (RFC 6750) and a
/// problem (RFC 9457).
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class AuthConformanceTests(NodeUnderTest node)
{
    public static TheoryData<string, string> ProtectedOperations => new()
    {
        { "GET", "/node/v1/catalog/search?q=%E6%A1%A3%E6%A1%88" },
        { "POST", "/node/v1/records/search" },
        { "GET", "/node/v1/records/any-record" },
    };

    [Theory]
    [MemberData(nameof(ProtectedOperations))]
    public async Task ProtectedOperation_NoToken_Is401ProblemWithBearerChallenge(string method, string path)
    {
        using var anonymous = node.CreateAnonymousClient();
        using var request = Request(method, path);

        using var response = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Bearer");
    }

    [Theory]
    [MemberData(nameof(ProtectedOperations))]
    public async Task ProtectedOperation_NotAToken_Is401ProblemWithInvalidToken(string method, string path)
    {
        using var anonymous = node.CreateAnonymousClient();
        using var request = Request(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        using var response = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate, c => c.Scheme == "Bearer");
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/node/v1/info")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task PublicEndpoint_NoToken_Is200(string path)
    {
        using var anonymous = node.CreateAnonymousClient();

        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), new Uri(path, UriKind.Relative))
    {
        Content = method == "POST" ? new StringContent("""{"subject":{"name":"张三","birthDate":"1960-01-01"}}""", Encoding.UTF8, "application/json") : null,
    };
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Federation;

/// <summary>
/// No input makes a 500: each odd input gets the answer it must, a 4xx problem naming the field or,
/// where the input is odd but valid, an ordinary answer; and the route it was sent to answers a
/// well-formed request, so a route that is missing cannot pass for one that refuses well.
/// </summary>
public sealed class NeverA500Tests
{
    private const string CatalogueSearch = "/api/v1/catalog/search?q=%E6%A1%A3";

    [Theory]
    [InlineData("/api/v1/catalog/search?q=%00%01", 400, "q", CatalogueSearch)]
    [InlineData("/api/v1/catalog/search?q=%E6%A1%A3&limit=99999999999999999999", 400, "limit", CatalogueSearch)]
    [InlineData("/api/v1/catalog/search?from=-5&to=%2B7", 400, "from,to", CatalogueSearch)]
    [InlineData("/api/v1/catalog/search?cursor=eyJ2IjoxLCJxIjoieCIsIm4iOnsiMzMwMTAwIjpudWxsfX0", 400, "cursor", CatalogueSearch)]
    [InlineData("/api/v1/catalog/search?cursor=W10", 400, "cursor", CatalogueSearch)]
    [InlineData("/api/v1/catalog/search?cursor=bnVsbA", 400, "cursor", CatalogueSearch)]
    [InlineData("/api/v1/catalog/search/stream?q=%00&nodes=330100", 400, "q", "/api/v1/catalog/search/stream?q=%E6%A1%A3&nodes=330100")]
    [InlineData("/api/v1/nodes/%F0%9F%93%9C", 404, "nodeId", "/api/v1/nodes/330100")]
    [InlineData("/nodes/%F0%9F%93%9C/x", 404, "nodeId", "/nodes/330100/test/echo/x")]
    public async Task OddInput_IsRefusedWithTheProblemItCalls_ByARouteThatExists(string url, int status, string fields, string wellFormed)
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var gateway = GatewayHost.Start([node]);

        var refused = await gateway.Client.GetAsync(url, Ct);
        var nodeCalls = node.RequestsTo("/node/v1/catalog/search");
        var wellFormedAnswer = await gateway.Client.GetAsync(wellFormed, Ct);

        Assert.Equal(status, (int)refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.ReadJsonAsync();
        Assert.Equal(status, (int)problem["status"]!);
        foreach (var field in fields.Split(','))
        {
            Assert.True(Names(problem, field), $"{url}: the problem does not name '{field}': {problem.ToJsonString()}");
        }

        Assert.Equal(0, nodeCalls);
        Assert.Equal(HttpStatusCode.OK, wellFormedAnswer.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/catalog/search?nodes=,,,", "application/json")]
    [InlineData("/api/v1/catalog/search?region=&category=&cursor=", "application/json")]
    [InlineData("/api/v1/catalog/search?q=%ED%A0%80", "application/json")]
    [InlineData("/api/v1/catalog/search?q=%E6%A1%A3%E2%80%8B%F0%9F%93%9C", "application/json")]
    [InlineData("/api/v1/catalog/search/stream?q=%F0%9F%93%9C&nodes=330100", "text/event-stream")]
    public async Task OddButValidInput_IsAnsweredAsASearch(string url, string mediaType)
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var gateway = GatewayHost.Start([node]);

        var response = await gateway.Client.GetAsync(url, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"nodeId\":\"330100\"", text, StringComparison.Ordinal);
        Assert.Equal(1, node.RequestsTo("/node/v1/catalog/search"));
    }

    [Fact]
    public async Task APassThroughToANodeWithoutAPath_IsTheNodesOwnAnswer()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        var response = await gateway.Client.GetAsync("/nodes/330100", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, node.RequestsTo("/"));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/nodes/330100/test/echo/x", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("application/json", new byte[] { (byte)'{', (byte)'"', (byte)'p', (byte)'u', (byte)'r', (byte)'p', (byte)'o', (byte)'s', (byte)'e', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}' }, 400, "purpose")]
    [InlineData("application/json", new byte[] { (byte)'n', (byte)'u', (byte)'l', (byte)'l' }, 400, "subject,purpose")]
    [InlineData("application/json", new byte[0], 400, "body")]
    [InlineData("text/plain", new byte[] { (byte)'{', (byte)'}' }, 415, null)]
    public async Task OddBody_IsRefusedWithTheProblemItCalls_ByARouteThatExists(string contentType, byte[] body, int status, string? fields)
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        var refused = await gateway.Client.PostAsync("/api/v1/records/search", content, Ct);
        var nodeCalls = node.RequestsTo("/node/v1/records/search");
        var (wellFormed, _) = await gateway.Client.PostJsonAsync("/api/v1/records/search", new
        {
            subject = new { name = "张三", birthDate = "1960-05-04" },
            purpose = "婚姻证明",
        });

        Assert.Equal(status, (int)refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.ReadJsonAsync();
        foreach (var field in fields?.Split(',') ?? [])
        {
            Assert.True(Names(problem, field), $"the problem does not name '{field}': {problem.ToJsonString()}");
        }

        Assert.Equal(0, nodeCalls);
        Assert.Equal(HttpStatusCode.OK, wellFormed.StatusCode);
    }

    [Fact]
    public async Task CursorWithATamperedNodeCursor_MakesThatNodeAnErrorNotTheSearch()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 30));
        await using var gateway = GatewayHost.Start([node]);
        var (_, first) = await gateway.Client.GetJsonAsync("/api/v1/catalog/search?limit=5");
        var cursor = (string)first["nextCursor"]!;
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/').PadRight(cursor.Length + ((4 - (cursor.Length % 4)) % 4), '=')));
        var forged = System.Text.RegularExpressions.Regex.Replace(json, "\"c\":\"[^\"]*\"", "\"c\":\"Zm9yZ2Vk\"");
        Assert.NotEqual(json, forged);

        var forgedCursor = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(forged)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var (response, body) = await gateway.Client.GetJsonAsync("/api/v1/catalog/search?limit=5&cursor=" + forgedCursor);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("error", body.Status("330100"));
    }

    /// <summary>Whether a problem names a field: under <c>errors</c> (a validation problem) or as its <c>field</c>.</summary>
    private static bool Names(JsonNode problem, string field)
        => problem["errors"]?[field] is JsonArray { Count: > 0 } || (string?)problem["field"] == field;
}

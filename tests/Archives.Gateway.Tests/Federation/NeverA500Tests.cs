using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Federation;

/// <summary>No input makes a 500.</summary>
public sealed class NeverA500Tests
{
    [Theory]
    [InlineData("/api/v1/catalog/search?q=%00%01")]
    [InlineData("/api/v1/catalog/search?q=%E6%A1%A3&limit=99999999999999999999")]
    [InlineData("/api/v1/catalog/search?from=-5&to=%2B7")]
    [InlineData("/api/v1/catalog/search?nodes=,,,")]
    [InlineData("/api/v1/catalog/search?region=&category=&cursor=")]
    [InlineData("/api/v1/catalog/search?cursor=eyJ2IjoxLCJxIjoieCIsIm4iOnsiMzMwMTAwIjpudWxsfX0")]
    [InlineData("/api/v1/catalog/search?cursor=W10")]
    [InlineData("/api/v1/catalog/search?cursor=bnVsbA")]
    [InlineData("/api/v1/catalog/search/stream?q=%F0%9F%93%9C&nodes=330100")]
    [InlineData("/api/v1/catalog/search?q=%ED%A0%80")]
    [InlineData("/api/v1/nodes/%F0%9F%93%9C")]
    [InlineData("/nodes/%F0%9F%93%9C/x")]
    [InlineData("/nodes/330100")]
    public async Task OddInput_IsNeverA500(string url)
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var gateway = GatewayHost.Start([node]);

        var response = await gateway.Client.GetAsync(url, Ct);

        Assert.True((int)response.StatusCode < 500, $"{url} → {(int)response.StatusCode}");
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

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("error", body.Status("330100"));
    }
}

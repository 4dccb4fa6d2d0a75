using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archives.Gateway.Tests.Fixtures;

internal static class Json
{
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response)
        => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static async Task<(HttpResponseMessage Response, JsonNode Body)> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        return (response, await response.ReadJsonAsync());
    }

    public static async Task<(HttpResponseMessage Response, JsonNode Body)> PostJsonAsync(this HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body, JsonSerializerOptions.Web);
        return (response, await response.ReadJsonAsync());
    }

    public static string Status(this JsonNode answer, string nodeId)
        => answer["nodes"]!.AsArray().Single(n => (string)n!["nodeId"]! == nodeId)!["status"]!.GetValue<string>();
}

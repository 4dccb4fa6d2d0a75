using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.OpenApi;

/// <summary>
/// The served OpenAPI document is the committed <c>contracts/openapi/gateway.v1.json</c>, and the API
/// reference at <c>/docs</c> needs nothing from outside the gateway.
/// </summary>
public sealed partial class OpenApiDocumentTests : IAsyncLifetime
{
    /// <summary>Set to 1 to write the served document to the committed file instead of comparing.</summary>
    public const string UpdateVariable = "ARCHIVES_UPDATE_OPENAPI";

    /// <summary>The identity server of the local federation, which the committed document names.</summary>
    private const string LocalAuthority = "http://127.0.0.1:5100/";

    private GatewayHost _gateway = null!;

    public static string CommittedPath { get; } = Path.GetFullPath(Path.Combine(Test.GatewayContentRoot, "..", "..", "contracts", "openapi", "gateway.v1.json"));

    public ValueTask InitializeAsync()
    {
        _gateway = GatewayHost.Start(nodes: []);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _gateway.DisposeAsync();

    [Fact]
    public async Task ServedDocument_IsTheCommittedOne()
    {
        var served = await ServedDocumentAsync(_gateway);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, served, Ct);
            return;
        }

        var committed = File.Exists(CommittedPath) ? (await File.ReadAllTextAsync(CommittedPath, Ct)).ReplaceLineEndings("\n") : "";
        Assert.True(served == committed,
            $"The gateway's OpenAPI document differs from {CommittedPath}. If the change is intended, regenerate the file with\n" +
            $"  {UpdateVariable}=1 dotnet test --project tests/Archives.Gateway.Tests -- --filter-class '*OpenApiDocumentTests'\n" +
            "and commit it (clients and the SDK are generated from it). First difference:\n" + FirstDifference(committed, served));
    }

    [Fact]
    public async Task Document_Is31_WithOAuthFlowsFromDiscovery_AndNoPassThrough()
    {
        var document = JsonNode.Parse(await ServedDocumentAsync(_gateway))!;

        Assert.StartsWith("3.1", (string)document["openapi"]!);
        var flows = document["components"]!["securitySchemes"]!["oauth2"]!["flows"]!;
        Assert.Equal(LocalAuthority + "connect/token", (string)flows["clientCredentials"]!["tokenUrl"]!);
        Assert.Equal(LocalAuthority + "connect/authorize", (string)flows["authorizationCode"]!["authorizationUrl"]!);
        Assert.DoesNotContain(document["paths"]!.AsObject(), p => p.Key.StartsWith("/nodes/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Operations_NameTheScopesTheirPoliciesAccept()
    {
        var paths = JsonNode.Parse(await ServedDocumentAsync(_gateway))!["paths"]!;

        Assert.Equal(["certificates.issue"], Scopes(paths["/api/v1/certificates"]!["post"]!));
        Assert.Equal(["audit.read", "certificates.issue", "certificates.read"], Scopes(paths["/api/v1/certificates/{number}"]!["get"]!).Order(StringComparer.Ordinal));
        Assert.Equal(["", "catalog.read"], Scopes(paths["/api/v1/catalog/search"]!["get"]!));
        Assert.Equal([""], Scopes(paths["/api/v1/certificates/verify"]!["post"]!));
        Assert.NotNull(paths["/api/v1/certificates/verify"]!["post"]!["responses"]!["429"]);
        Assert.NotNull(paths["/api/v1/certificates"]!["post"]!["responses"]!["409"]);
        Assert.NotNull(paths["/api/v1/certificates"]!["post"]!["responses"]!["422"]);
        Assert.Contains(paths["/api/v1/certificates"]!["post"]!["parameters"]!.AsArray(), p => (string)p!["name"]! == "Idempotency-Key" && (bool)p["required"]!);

        // "" stands for the anonymous alternative ({}); each other entry for a requirement of one scope.
        static IEnumerable<string> Scopes(JsonNode operation) => operation["security"]!.AsArray()
            .Select(r => r!.AsObject().Count == 0 ? "" : string.Join(' ', r["oauth2"]!.AsArray().Select(s => (string)s!)));
    }

    [Fact]
    public async Task Docs_ServeEveryAssetFromTheGateway()
    {
        var page = await _gateway.Anonymous.GetStringAsync("/docs", Ct);

        var references = AssetReference().Matches(page).Select(m => m.Groups["url"].Value).Distinct().ToList();
        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            Assert.False(Uri.TryCreate(reference, UriKind.Absolute, out var absolute) && absolute.Host != _gateway.Address.Host,
                $"/docs references {reference}, outside the gateway.");
            using var response = await _gateway.Anonymous.GetAsync(new Uri(new Uri(_gateway.Address, "/docs/"), reference), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{reference}: {(int)response.StatusCode}");
        }

        // The document the page loads.
        Assert.True(page.Contains("openapi/v1.json", StringComparison.Ordinal), page);
        Assert.DoesNotContain("cdn.jsdelivr.net", page, StringComparison.Ordinal);
        Assert.DoesNotContain("fonts.scalar.com", page, StringComparison.Ordinal);
    }

    /// <summary>The served document with the test identity server's address replaced by the local federation's.</summary>
    internal static async Task<string> ServedDocumentAsync(GatewayHost gateway)
    {
        var text = await gateway.Anonymous.GetStringAsync("/openapi/v1.json", Ct);
        return text.Replace(Test.Identity.Issuer.AbsoluteUri, LocalAuthority, StringComparison.Ordinal).ReplaceLineEndings("\n");
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "<end>";
            var right = i < a.Length ? a[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}:\n  committed: {left.Trim()}\n  served:    {right.Trim()}";
            }
        }

        return "(none)";
    }

    [GeneratedRegex("""(?:src|href)\s*=\s*["'](?<url>[^"'#]+)["']""")]
    private static partial Regex AssetReference();
}

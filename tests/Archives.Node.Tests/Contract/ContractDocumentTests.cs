using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Archives.Node.Tests.Contract;

/// <summary>
/// The reference node implements <c>contracts/openapi/archive-node.v1.yaml</c> as written: the node's
/// own generated document (from its endpoints, <c>/openapi/v1.json</c>) and the contract name the same
/// operations, parameters, statuses and schema properties. The contract is written by hand for other
/// archive systems (its prose, examples and rules say more than code could); this test keeps the two
/// from drifting in either direction. Health endpoints are health-check middleware, which the
/// generator does not describe; the conformance kit checks them.
/// </summary>
public sealed class ContractDocumentTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static readonly string ContractPath = Path.Combine(Repository.Root, "contracts", "openapi", "archive-node.v1.yaml");

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task NodeAndContract_HaveTheSameOperations()
    {
        var (contract, served) = await DocumentsAsync();

        Assert.Equal(Operations(contract).Order(StringComparer.Ordinal), Operations(served).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryOperation_HasTheContractsParametersAndStatuses()
    {
        var (contract, served) = await DocumentsAsync();

        foreach (var (operation, expected, actual) in Pairs(contract, served))
        {
            Assert.True(Parameters(contract, expected).SetEquals(Parameters(served, actual)),
                $"{operation}: parameters\n  contract: {string.Join(", ", Parameters(contract, expected).Order())}\n  node:     {string.Join(", ", Parameters(served, actual).Order())}");
            Assert.True(Statuses(expected).SetEquals(Statuses(actual)),
                $"{operation}: statuses\n  contract: {string.Join(", ", Statuses(expected).Order())}\n  node:     {string.Join(", ", Statuses(actual).Order())}");
        }
    }

    [Fact]
    public async Task EveryJsonBodyAndAnswer_HasTheContractsProperties()
    {
        var (contract, served) = await DocumentsAsync();

        foreach (var (operation, expected, actual) in Pairs(contract, served))
        {
            var bodies = new List<(string Where, JsonNode? Contract, JsonNode? Node)>
            {
                ("request body", JsonSchema(contract, expected["requestBody"]), JsonSchema(served, actual["requestBody"])),
            };
            foreach (var status in Statuses(expected).Where(s => s.StartsWith('2')))
            {
                bodies.Add(($"{status} answer", JsonSchema(contract, expected["responses"]![status]), JsonSchema(served, actual["responses"]?[status])));
            }

            foreach (var (where, contractSchema, nodeSchema) in bodies)
            {
                var want = Properties(contract, contractSchema, "", []).Distinct().Order(StringComparer.Ordinal).ToList();
                var have = Properties(served, nodeSchema, "", []).Distinct().Order(StringComparer.Ordinal).ToList();
                Assert.True(contractSchema is null || want.Count > 0, $"{operation} {where}: the contract's schema has no properties to compare.");
                Assert.True(want.SequenceEqual(have),
                    $"{operation} {where}: properties\n  only in the contract: {string.Join(", ", want.Except(have))}\n  only in the node:     {string.Join(", ", have.Except(want))}");
            }
        }
    }

    private async Task<(JsonNode Contract, JsonNode Served)> DocumentsAsync()
    {
        var yaml = new DeserializerBuilder().Build().Deserialize<object>(await File.ReadAllTextAsync(ContractPath, TestContext.Current.CancellationToken));
        var served = JsonNode.Parse(await node.Http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        return (ToJson(yaml)!, served);
    }

    /// <summary>"GET /node/v1/info"…: the operations under /node/v1 (the node's document also describes itself).</summary>
    private static IEnumerable<string> Operations(JsonNode document) => document["paths"]!.AsObject()
        .Where(p => p.Key.StartsWith("/node/", StringComparison.Ordinal))
        .SelectMany(p => p.Value!.AsObject().Where(o => Methods.Contains(o.Key)).Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"));

    /// <summary>Each operation of the contract with the node's operation of the same method and path.</summary>
    private static IEnumerable<(string Operation, JsonNode Contract, JsonNode Node)> Pairs(JsonNode contract, JsonNode served)
    {
        foreach (var operation in Operations(contract))
        {
            var space = operation.IndexOf(' ', StringComparison.Ordinal);
            var (method, path) = (operation[..space].ToLowerInvariant(), operation[(space + 1)..]);
            yield return (operation, Resolve(contract, contract["paths"]![path]![method])!,
                Resolve(served, served["paths"]?[path]?[method]) ?? throw new Xunit.Sdk.XunitException($"The node has no {operation}."));
        }
    }

    /// <summary>"query q", "header archives-subject-id-number"…; header names are case-insensitive.</summary>
    private static HashSet<string> Parameters(JsonNode document, JsonNode operation) => [.. (operation["parameters"]?.AsArray() ?? [])
        .Select(p => Resolve(document, p)!)
        .Select(p => $"{(string)p["in"]!} {((string)p["in"]! == "header" ? ((string)p["name"]!).ToLowerInvariant() : (string)p["name"]!)}")];

    private static HashSet<string> Statuses(JsonNode operation) => [.. operation["responses"]!.AsObject().Select(r => r.Key)];

    /// <summary>The application/json schema of a request body or response, if it has one.</summary>
    private static JsonNode? JsonSchema(JsonNode document, JsonNode? bodyOrResponse)
        => Resolve(document, bodyOrResponse)?["content"]?["application/json"]?["schema"];

    /// <summary>Every property path of a schema ("records[].match", "facets.categories[].count"), through references, allOf, anyOf/oneOf and arrays.</summary>
    private static IEnumerable<string> Properties(JsonNode document, JsonNode? schema, string prefix, HashSet<string> seen)
    {
        if (schema is null)
        {
            yield break;
        }

        if (schema["$ref"] is { } reference && !seen.Add((string)reference! + prefix))
        {
            yield break;
        }

        schema = Resolve(document, schema)!;
        foreach (var part in new[] { "allOf", "anyOf", "oneOf" }.SelectMany(k => schema[k]?.AsArray() ?? []))
        {
            foreach (var path in Properties(document, part, prefix, seen))
            {
                yield return path;
            }
        }

        if (schema["items"] is { } items)
        {
            foreach (var path in Properties(document, items, prefix + "[]", seen))
            {
                yield return path;
            }
        }

        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            yield return path;
            foreach (var inner in Properties(document, property, path, seen))
            {
                yield return inner;
            }
        }
    }

    /// <summary>Follows a local <c>$ref</c> (<c>#/components/…</c>).</summary>
    private static JsonNode? Resolve(JsonNode document, JsonNode? node)
    {
        while (node?["$ref"] is { } reference)
        {
            node = ((string)reference!).TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate((JsonNode?)document, (current, segment) => current?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]);
        }

        return node;
    }

    private static JsonNode? ToJson(object? yaml) => yaml switch
    {
        IDictionary<object, object> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key.ToString()!, ToJson(e.Value)))),
        IList<object> list => new JsonArray([.. list.Select(ToJson)]),
        null => null,
        var scalar => JsonValue.Create(scalar.ToString()),
    };
}

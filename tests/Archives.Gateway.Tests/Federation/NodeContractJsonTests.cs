using System.Text.Json;
using Archives.Contracts;
using Archives.Gateway.Tests.Fixtures;
using Refit;

namespace Archives.Gateway.Tests.Federation;

/// <summary>
/// The gateway reads node answers with the contract's source-generated JSON context and no reflection
/// fallback: the context must know every message of the node contract and read exactly what a node
/// writes with the web defaults.
/// </summary>
public sealed class NodeContractJsonTests
{
    [Fact]
    public void Context_DescribesEveryMessageOfTheNodeContract()
    {
        var messages = typeof(IArchiveNodeApi).GetMethods()
            .SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType))
            .Select(Unwrap)
            .Where(t => t.Namespace == typeof(IArchiveNodeApi).Namespace)
            .Distinct()
            .ToList();

        Assert.Contains(typeof(CatalogueSearchResult), messages);
        Assert.All(messages, t => Assert.NotNull(NodeContractJsonContext.Default.GetTypeInfo(t)));
    }

    [Fact]
    public void CatalogueSearchResult_WrittenWithWebDefaults_ReadsBackTheSame()
    {
        var page = new CatalogueSearchResult
        {
            Entries = Catalogue.Entries("330100", 3),
            Total = 3,
            Facets = new CatalogueFacets { Categories = [new FacetCount("WS", 2)], Decades = [new FacetCount("1950", 3)] },
            NextCursor = "opaque",
        };
        var json = JsonSerializer.Serialize(page, JsonSerializerOptions.Web);

        var read = JsonSerializer.Deserialize(json, NodeContractJsonContext.Default.CatalogueSearchResult);

        Assert.Equal(json, JsonSerializer.Serialize(read, JsonSerializerOptions.Web));
    }

    [Fact]
    public void NodeInfo_IsReadWithTheWebDefaults_CaseInsensitiveNamesAndNumbersInStrings()
    {
        const string json = """
            {"NodeId":"330100","nameZh":"杭州市档案馆","nameEn":"Hangzhou Archives","divisionCode":"330100","level":"city",
             "categories":["marriage"],"recordCounts":{"openCatalogueEntries":"10","catalogueEntries":12,"personalRecords":3,
             "personalRecordsByCategory":{"marriage":3}},"contractVersion":"1.0"}
            """;

        var info = JsonSerializer.Deserialize(json, NodeContractJsonContext.Default.NodeInfo)!;

        Assert.Equal("330100", info.NodeId);
        Assert.Equal(10, info.RecordCounts.OpenCatalogueEntries);
        Assert.Equal(RecordCategory.Marriage, Assert.Single(info.Categories));
    }

    private static Type Unwrap(Type type)
    {
        while (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(IApiResponse<>)))
        {
            type = type.GetGenericArguments()[0];
        }

        return type;
    }
}

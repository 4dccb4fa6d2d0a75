using System.Text.Json;
using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>
/// System.Text.Json metadata for the node contract's messages, generated at compile time with the web
/// defaults every node and the gateway use (camelCase names, read case-insensitively, numbers also read
/// from strings). A client of <see cref="IArchiveNodeApi"/> that reads with it neither reflects over the
/// messages nor emits code at run time, which a gateway calling hundreds of nodes per search pays for
/// while it warms up (<c>RefitSettings.ForJsonContext(NodeContractJsonContext.Default)</c>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NodeInfo))]
[JsonSerializable(typeof(CatalogueSearchQuery))]
[JsonSerializable(typeof(CatalogueSearchResult))]
[JsonSerializable(typeof(RecordSearchRequest))]
[JsonSerializable(typeof(RecordSearchResult))]
[JsonSerializable(typeof(RecordLookup))]
public sealed partial class NodeContractJsonContext : JsonSerializerContext;

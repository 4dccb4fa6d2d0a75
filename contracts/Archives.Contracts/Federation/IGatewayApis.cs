using Refit;

namespace Archives.Contracts;

/// <summary>
/// The gateway API, version 1, as one Refit interface: the registry, the federated catalogue and
/// personal-record searches, and certificates. <c>AddArchivesGatewayClient</c> (Archives.Gateway.Client)
/// registers it with tokens, idempotency keys and retries; <c>contracts/openapi/gateway.v1.json</c>
/// describes the same operations for other languages.
/// </summary>
public interface IArchivesGatewayApi : IGatewayNodesApi, IGatewayCatalogueApi, IGatewayRecordsApi, ICertificatesApi;

/// <summary>The registry as the gateway sees it (<c>/api/v1/nodes</c>); anonymous callers allowed.</summary>
public interface IGatewayNodesApi
{
    /// <summary>Every archive node in the registry, with its health.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/api/v1/nodes")]
    Task<NodeListAnswer> ListNodesAsync(CancellationToken cancellationToken = default);

    /// <summary>One node, with its own <c>/node/v1/info</c> when it answers (404 for an unknown id).</summary>
    /// <param name="nodeId">The node's id in the registry (<c>330100</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/api/v1/nodes/{nodeId}")]
    Task<NodeDetailAnswer> GetNodeAsync(string nodeId, CancellationToken cancellationToken = default);
}

/// <summary>The federated open catalogue (<c>/api/v1/catalog/search</c>); anonymous callers allowed, a token must carry <c>catalog.read</c>.</summary>
public interface IGatewayCatalogueApi
{
    /// <summary>One merged page across the archives, with each node's outcome; continue with <see cref="CatalogueSearchAnswer.NextCursor"/>.</summary>
    /// <param name="query">What to search for.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/api/v1/catalog/search")]
    Task<CatalogueSearchAnswer> SearchCatalogueAsync([Query] GatewayCatalogueQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Federated personal-record search (<c>POST /api/v1/records/search</c>, scope <c>records.search</c>).</summary>
public interface IGatewayRecordsApi
{
    /// <summary>
    /// One subject's records at every archive the caller's agreement covers: exact matches first,
    /// then probable ones. 403 (naming the field) for a category or region outside the agreement.
    /// </summary>
    /// <param name="request">The subject, purpose and filters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/api/v1/records/search")]
    Task<RecordSearchAnswer> SearchRecordsAsync([Body] FederatedRecordSearchRequest request, CancellationToken cancellationToken = default);
}

/// <summary>The query of <c>GET /api/v1/catalog/search</c>; every part is optional.</summary>
public sealed record GatewayCatalogueQuery
{
    /// <summary>Keywords, at most <see cref="NodeContract.MaxQueryLength"/> characters; every word must match.</summary>
    [AliasAs("q")]
    public string? Q { get; init; }

    /// <summary>First year, inclusive.</summary>
    [AliasAs("from")]
    public int? From { get; init; }

    /// <summary>Last year, inclusive.</summary>
    [AliasAs("to")]
    public int? To { get; init; }

    /// <summary>Only this catalogue category (档案门类): a <see cref="CatalogueCategory.Code"/>, e.g. <c>documents</c>.</summary>
    [AliasAs("category")]
    public string? Category { get; init; }

    /// <summary>Only archives in this region: a <see cref="RegionPrefix"/>'s digits (<c>33</c> Zhejiang, <c>3301</c> Hangzhou).</summary>
    [AliasAs("region")]
    public string? Region { get; init; }

    /// <summary>Only these archives: comma-separated node ids.</summary>
    [AliasAs("nodes")]
    public string? Nodes { get; init; }

    /// <summary>The <see cref="CatalogueSearchAnswer.NextCursor"/> of the previous page.</summary>
    [AliasAs("cursor")]
    public string? Cursor { get; init; }

    /// <summary>Page size, 1 to <see cref="NodeContract.MaxLimit"/>.</summary>
    [AliasAs("limit")]
    public int? Limit { get; init; }
}

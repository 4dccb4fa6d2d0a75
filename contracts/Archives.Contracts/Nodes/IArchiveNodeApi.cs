using Refit;

namespace Archives.Contracts;

/// <summary>
/// The archive-node contract, version 1 (<c>contracts/openapi/archive-node.v1.yaml</c>): what every
/// archive system implements to join the federation. Everything but <see cref="GetInfoAsync"/>
/// needs a bearer token with the <c>node.api</c> scope. Errors are <c>application/problem+json</c>
/// (RFC 9457) and surface as <see cref="ApiException"/>.
/// </summary>
public interface IArchiveNodeApi
{
    /// <summary>The node's description: names, division, level, categories held, record counts.</summary>
    [Get("/node/v1/info")]
    Task<NodeInfo> GetInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>Searches the open catalogue, one page at a time.</summary>
    [Get("/node/v1/catalog/search")]
    Task<CatalogueSearchResult> SearchCatalogueAsync([Query] CatalogueSearchQuery query, CancellationToken cancellationToken = default);

    /// <summary>Finds the personal records of one subject.</summary>
    [Post("/node/v1/records/search")]
    Task<RecordSearchResult> SearchRecordsAsync([Body] RecordSearchRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The evidence of one record, checked against the subject (given in headers, see
    /// <see cref="NodeContract.SubjectHeaders"/>). 200 with the evidence, 202 while a paper record is
    /// retrieved, 404 when the record does not exist or is not the subject's (the two are not told apart).
    /// </summary>
    [Get("/node/v1/records/{recordId}")]
    Task<IApiResponse<RecordLookup>> GetRecordAsync(
        string recordId,
        [Header(NodeContract.SubjectHeaders.IdNumber)] string? idNumber,
        [Header(NodeContract.SubjectHeaders.Name)] string? percentEncodedName,
        [Header(NodeContract.SubjectHeaders.BirthDate)] string? birthDate,
        CancellationToken cancellationToken = default);
}

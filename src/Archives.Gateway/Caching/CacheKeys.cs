using System.Security.Cryptography;
using System.Text;
using Archives.Gateway.Federation;
using Archives.Gateway.Registry;

namespace Archives.Gateway.Caching;

/// <summary>Cache keys and tags. Only public data is cached: open-catalogue pages and node info, never personal records.</summary>
internal static class CacheKeys
{
    /// <summary>The tag every entry built from a node's answers carries, so one node's entries can be evicted.</summary>
    public static string NodeTag(string nodeId) => "node:" + nodeId;

    /// <summary>
    /// A catalogue page: access tier, normalised query, page size, cursor and the node set it was
    /// asked of (the registry may change which nodes a region covers).
    /// </summary>
    public static string Catalogue(string accessTier, CatalogueSearchRequest request, IReadOnlyList<RegisteredNode> nodes)
        => string.Join(':', "catalog", "v1", accessTier, request.Query.Fingerprint, request.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Hash(request.RawCursor ?? ""), Hash(string.Join(',', nodes.Select(n => n.NodeId))));

    /// <summary>A node's info.</summary>
    public static string NodeInfo(string nodeId) => "node-info:v1:" + nodeId;

    private static string Hash(string s) => CatalogueQuery.Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(s)).AsSpan(0, 12));
}

/// <summary>
/// Who is asking, as far as caching cares. Every caller is <c>public</c> until tokens arrive; then
/// callers whose scopes see more (e.g. partners) get their own tier so answers never cross tiers.
/// </summary>
internal static class AccessTier
{
    public const string Public = "public";

    public static string Of(HttpContext context) => Public;
}

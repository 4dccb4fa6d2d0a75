using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Archives.Gateway.Registry;

namespace Archives.Gateway.Caching;

/// <summary>Cache keys and tags. Only public data is cached: open-catalogue pages and node info, never personal records.</summary>
internal static class CacheKeys
{
    /// <summary>
    /// The most node tags one entry carries; an entry built from more nodes is tagged by node group
    /// (<see cref="NodeGroupTag"/>). FusionCache checks every tag of an entry on every read (its tag evictions
    /// are lazy), so a province-wide page tagged per node would cost 400 lookups per hit.
    /// </summary>
    public const int MaxNodeTags = 32;

    public static string NodeTag(string nodeId) => "node:" + nodeId;

    /// <summary>
    /// The tag of entries built from many nodes, one of them this one: its province (the first two
    /// digits of its division code), or the node alone when it has no division code.
    /// </summary>
    public static string NodeGroupTag(NodeDescription node) => "node-group:" + (node.DivisionCode?.Value[..2] ?? node.NodeId);

    public static string[] NodeTags(IReadOnlyList<RegisteredNode> nodes)
        => nodes.Count <= MaxNodeTags
            ? [.. nodes.Select(n => NodeTag(n.NodeId))]
            : [.. nodes.Select(n => NodeGroupTag(n.Description)).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The tags whose eviction evicts every entry built from <paramref name="node"/>'s answers. Entries
    /// tagged by group go with any node of the group: more misses after an eviction, never a stale answer.
    /// </summary>
    public static IReadOnlyList<string> EvictionTags(NodeDescription node) => [NodeTag(node.NodeId), NodeGroupTag(node)];

    /// <summary>A catalogue page, keyed also by the node set it was asked of: the registry may change which nodes a region covers.</summary>
    public static string Catalogue(string accessTier, string queryFingerprint, int limit, string? cursor, string nodeSetKey)
        => string.Join(':', "catalog", "v1", accessTier, queryFingerprint, limit.ToString(CultureInfo.InvariantCulture), Hash(cursor ?? ""), nodeSetKey);

    public static string NodeInfo(string nodeId) => "node-info:v1:" + nodeId;

    /// <summary>A short hash of a text (base64url of 12 bytes of SHA-256), for keys.</summary>
    public static string Hash(string s) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(s)).AsSpan(0, 12));
}

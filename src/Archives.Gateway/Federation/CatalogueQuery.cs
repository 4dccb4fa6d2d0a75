using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Archives.Contracts;
using Archives.Gateway.Registry;

namespace Archives.Gateway.Federation;

/// <summary>
/// A federated open-catalogue query, validated and normalised: keywords trimmed with white space
/// collapsed (NFC), node ids sorted and distinct. Its <see cref="Fingerprint"/> binds cursors and
/// keys the cache.
/// </summary>
internal sealed record CatalogueQuery(
    string? Q,
    int? From,
    int? To,
    CatalogueCategory? Category,
    RegionPrefix? Region,
    IReadOnlyList<string> Nodes)
{
    public string Normalised => string.Join('\n',
        "q=" + Q, "from=" + From?.ToString(CultureInfo.InvariantCulture), "to=" + To?.ToString(CultureInfo.InvariantCulture),
        "category=" + Category?.Code, "region=" + Region?.Value, "nodes=" + string.Join(',', Nodes));

    /// <summary>A short hash of <see cref="Normalised"/> (base64url of 12 bytes of SHA-256).</summary>
    public string Fingerprint => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(Normalised)).AsSpan(0, 12));

    public CatalogueSearchQuery ForNode(string? nodeCursor, int limit) => new()
    {
        Q = Q,
        From = From,
        To = To,
        Category = Category?.Code,
        Cursor = nodeCursor,
        Limit = limit,
    };

    public NodeSelection Select(NodeRegistry registry) => registry.Select(Region, Nodes);
}

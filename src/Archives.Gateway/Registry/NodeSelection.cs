using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Archives.Gateway.Registry;

/// <summary>Some of the registry's nodes, in node id order, and a short key of which they are.</summary>
/// <param name="Nodes">The nodes.</param>
/// <param name="Key">Base64url of 12 bytes of SHA-256 over their ids: the node set in a cache key.</param>
internal sealed record NodeSelection(IReadOnlyList<RegisteredNode> Nodes, string Key)
{
    public static NodeSelection Of(IReadOnlyList<RegisteredNode> nodes)
        => new(nodes, Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', nodes.Select(n => n.NodeId)))).AsSpan(0, 12)));
}

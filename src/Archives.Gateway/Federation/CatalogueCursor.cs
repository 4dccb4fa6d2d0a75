using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Archives.Contracts;

namespace Archives.Gateway.Federation;

/// <summary>
/// The opaque federated cursor: base64url of
/// <c>{"v":1,"q":"&lt;query fingerprint&gt;","n":{"330100":{"c":"&lt;node cursor&gt;","o":5,"r":25},"330200":{"x":1}}}</c>,
/// for each node that has moved: its own cursor, the offset in that node page and the rank reached, or that it is
/// exhausted. Absent nodes start from the beginning (a node added between pages joins). The fingerprint binds the
/// cursor to its query. Not encrypted: it reveals nothing beyond the query's results, and a client that edits a
/// node's cursor only makes that node answer 400.
/// </summary>
internal sealed partial record CatalogueCursor(IReadOnlyDictionary<string, NodePosition> Positions)
{
    private const int Version = 1;
    private const int MaxOffset = 10_000;
    private const int MaxRank = 1_000_000;

    public NodePosition PositionOf(string nodeId) => Positions.TryGetValue(nodeId, out var p) ? p : NodePosition.Start;

    public string Encode(string fingerprint)
    {
        var document = new Document
        {
            V = Version,
            Q = fingerprint,
            N = Positions
                .Where(p => p.Value != NodePosition.Start)
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(p => p.Key, Position? (p) => p.Value.Exhausted
                    ? new Position { X = 1 }
                    : new Position { C = p.Value.Cursor, O = p.Value.Offset == 0 ? null : p.Value.Offset, R = p.Value.Rank }),
        };
        return Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(document, CursorJson.Default.Document));
    }

    public static bool TryDecode(string text, string fingerprint, int maxLength, [NotNullWhen(true)] out CatalogueCursor? cursor, [NotNullWhen(false)] out string? error)
    {
        cursor = null;
        error = "'cursor' is not a cursor this gateway issued; pass nextCursor from the previous page unchanged.";
        if (text.Length > maxLength)
        {
            error = $"'cursor' has at most {maxLength} characters.";
            return false;
        }

        Document? document;
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            document = JsonSerializer.Deserialize(Convert.FromBase64String(base64), CursorJson.Default.Document);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return false;
        }

        if (document is null || document.V != Version || document.Q is null || document.N is null)
        {
            return false;
        }

        if (!string.Equals(document.Q, fingerprint, StringComparison.Ordinal))
        {
            error = "'cursor' belongs to another query: a cursor continues only the query that returned it.";
            return false;
        }

        var positions = new Dictionary<string, NodePosition>(StringComparer.Ordinal);
        foreach (var (nodeId, p) in document.N)
        {
            if (p is null
                || nodeId.Length > 64
                || p.O is < 0 or > MaxOffset
                || p.R is < 0 or > MaxRank
                || p.C?.Length > NodeContract.MaxCursorLength
                || p.X is not (null or 1)
                || (p.X == 1 && (p.C is not null || p.O is not null)))
            {
                return false;
            }

            positions[nodeId] = p.X == 1 ? new NodePosition(null, 0, 0, true) : new NodePosition(p.C, p.O ?? 0, p.R ?? 0, false);
        }

        cursor = new CatalogueCursor(positions);
        error = null;
        return true;
    }

    internal sealed class Document
    {
        [JsonPropertyName("v")]
        public int V { get; set; }

        [JsonPropertyName("q")]
        public string? Q { get; set; }

        [JsonPropertyName("n")]
        public Dictionary<string, Position?>? N { get; set; }
    }

    internal sealed class Position
    {
        [JsonPropertyName("c")]
        public string? C { get; set; }

        [JsonPropertyName("o")]
        public int? O { get; set; }

        [JsonPropertyName("r")]
        public int? R { get; set; }

        [JsonPropertyName("x")]
        public int? X { get; set; }
    }

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 8)]
    [JsonSerializable(typeof(Document))]
    private sealed partial class CursorJson : JsonSerializerContext;
}

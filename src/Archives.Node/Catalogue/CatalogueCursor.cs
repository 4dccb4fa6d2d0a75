using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Archives.Node.Catalogue;

/// <summary>
/// Where the next page of a catalogue search starts. Opaque to clients (base64url of 44 bytes):
/// the watermark (the highest entry id when page 1 was served, so entries added later never
/// shift the pages), the year whose openness page 1 used, the last entry's sort key (score, or
/// year when browsing) and id, a hash of the normalised query, and a check value.
/// </summary>
/// <remarks>
/// Note: the check value is a truncated SHA-256, not a keyed MAC. It catches corrupted, truncated
/// and hand-edited cursors; a deliberately forged one can only select another slice of public
/// entries, because every value is bound as a parameter and the open-year can only narrow what
/// is open now (the search takes the earlier of it and the current year).
/// </remarks>
internal sealed record CatalogueCursor(bool Ranked, int OpenYear, long Watermark, long SortKey, long LastId, ulong QueryHash)
{
    private const byte Version = 1;
    private const int PayloadLength = 36;
    private const int Length = PayloadLength + 8;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = Version;
        bytes[1] = Ranked ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], (ushort)OpenYear);
        BinaryPrimitives.WriteInt64BigEndian(bytes[4..], Watermark);
        BinaryPrimitives.WriteInt64BigEndian(bytes[12..], SortKey);
        BinaryPrimitives.WriteInt64BigEndian(bytes[20..], LastId);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[28..], QueryHash);
        Check(bytes[..PayloadLength]).CopyTo(bytes[PayloadLength..]);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string text, [NotNullWhen(true)] out CatalogueCursor? cursor)
    {
        cursor = null;
        Span<byte> bytes = stackalloc byte[Length + 3];
        int written;
        try
        {
            if (text.Length > 64 || !Base64Url.TryDecodeFromChars(text, bytes, out written) || written != Length)
            {
                return false;
            }
        }
        catch (FormatException)
        {
            return false;
        }

        bytes = bytes[..Length];
        if (bytes[0] != Version || bytes[1] > 1 || !Check(bytes[..PayloadLength]).SequenceEqual(bytes[PayloadLength..]))
        {
            return false;
        }

        var watermark = BinaryPrimitives.ReadInt64BigEndian(bytes[4..]);
        var lastId = BinaryPrimitives.ReadInt64BigEndian(bytes[20..]);
        if (watermark < 0 || lastId < 0)
        {
            return false;
        }

        cursor = new CatalogueCursor(
            bytes[1] == 1,
            BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
            watermark,
            BinaryPrimitives.ReadInt64BigEndian(bytes[12..]),
            lastId,
            BinaryPrimitives.ReadUInt64BigEndian(bytes[28..]));
        return true;
    }

    private static byte[] Check(ReadOnlySpan<byte> payload)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        return hash[..8].ToArray();
    }
}

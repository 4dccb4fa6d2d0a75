using System.Buffers.Binary;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Certificates;

/// <summary>
/// The CJK font of the certificate PDFs, loaded once at start. PDFsharp embeds a TrueType-outline
/// font as a CID subset (Identity-H with a ToUnicode map), so the Chinese text stays extractable;
/// it takes a single face, so the first face of a <c>.ttc</c> collection (WenQuanYi Micro Hei,
/// Debian's <c>fonts-wqy-microhei</c>) is cut out into a standalone font. A missing or unreadable
/// font is logged at start and makes the PDF endpoint answer 503, never a 500.
/// </summary>
internal sealed class CertificateFont
{
    /// <summary>The family name the PDF asks for; the resolver answers with the configured face whatever the name.</summary>
    public const string FamilyName = "Certificate CJK";

    public CertificateFont(IOptions<CertificateOptions> options, ILogger<CertificateFont> logger)
    {
        var path = options.Value.FontFile;
        try
        {
            var face = FirstFace(File.ReadAllBytes(path));
            SingleFaceFontResolver.Install(face);
            Available = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Problem = $"The certificate PDF font '{path}' (Gateway:Certificates:FontFile) cannot be read: {e.Message} "
                + "Install Debian's fonts-wqy-microhei (apt-get install -y fonts-wqy-microhei) or point Gateway:Certificates:FontFile at a TrueType CJK font.";
            logger.LogError("{Problem}", Problem);
        }
    }

    /// <summary>Whether PDFs can be made.</summary>
    public bool Available { get; }

    /// <summary>Why not, naming the configuration key.</summary>
    public string? Problem { get; }

    /// <summary>A standalone TrueType font: the file itself, or the first face of a TrueType collection.</summary>
    internal static byte[] FirstFace(byte[] file)
    {
        if (file.Length < 12)
        {
            throw new InvalidDataException("The file is not a TrueType font.");
        }

        var tag = BinaryPrimitives.ReadUInt32BigEndian(file);
        if (tag is 0x00010000 or 0x74727565 /* 'true' */)
        {
            return file;
        }

        if (tag != 0x74746366 /* 'ttcf' */ || BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(8)) == 0)
        {
            throw new InvalidDataException("The file is neither a TrueType font nor a TrueType collection (CFF-outline fonts such as Noto CJK are embedded wrongly by PDFsharp).");
        }

        // TTC header: tag, version, numFonts, offsets[numFonts]; table offsets inside a face are from the start of the file.
        var faceOffset = checked((int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(12)));
        var sfntVersion = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(faceOffset));
        if (sfntVersion is not (0x00010000 or 0x74727565))
        {
            throw new InvalidDataException("The collection's first face has no TrueType outlines.");
        }

        int tableCount = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(faceOffset + 4));
        var tables = new List<(uint Tag, uint Checksum, int Offset, int Length)>(tableCount);
        for (var i = 0; i < tableCount; i++)
        {
            var record = file.AsSpan(faceOffset + 12 + (16 * i), 16);
            var offset = checked((int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]));
            var length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
            if (offset < 0 || length < 0 || offset + length > file.Length)
            {
                throw new InvalidDataException("A table of the collection's first face lies outside the file.");
            }

            tables.Add((BinaryPrimitives.ReadUInt32BigEndian(record), BinaryPrimitives.ReadUInt32BigEndian(record[4..]), offset, length));
        }

        var headerLength = 12 + (16 * tableCount);
        var total = headerLength + tables.Sum(t => Align4(t.Length));
        var font = new byte[total];
        file.AsSpan(faceOffset, 12).CopyTo(font);
        var position = headerLength;
        for (var i = 0; i < tables.Count; i++)
        {
            var (tableTag, checksum, offset, length) = tables[i];
            var record = font.AsSpan(12 + (16 * i), 16);
            BinaryPrimitives.WriteUInt32BigEndian(record, tableTag);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], checksum);
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)position);
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)length);
            file.AsSpan(offset, length).CopyTo(font.AsSpan(position));
            position += Align4(length);
        }

        return font;
    }

    private static int Align4(int length) => (length + 3) & ~3;
}

using PdfSharp.Fonts;

namespace Archives.Gateway.Certificates;

/// <summary>
/// PDFsharp's font resolver is process-wide (<see cref="GlobalFontSettings"/>) and may be set only
/// once; this one serves the single configured face for every family, style simulated.
/// </summary>
internal sealed class SingleFaceFontResolver : IFontResolver
{
    private const string FaceName = "certificate-cjk";
    private static readonly Lock Gate = new();
    private static byte[]? _face;

    public static void Install(byte[] face)
    {
        lock (Gate)
        {
            // The first font loaded serves the process (several gateways in one test process share it).
            _face ??= face;
            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = new SingleFaceFontResolver();
            }
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(FaceName, bold, italic);

    public byte[]? GetFont(string faceName) => _face;
}

using UglyToad.PdfPig.Content;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>
/// Reads the QR code a certificate PDF prints, as a scanner would: the black squares the page draws are
/// rasterised (4 pixels a module, with a quiet zone) and decoded by ZXing.Net, a decoder independent of the
/// QRCoder library that drew them.
/// </summary>
internal static class PrintedQrCode
{
    private const int PixelsPerModule = 4;
    private const int QuietZoneModules = 4;

    public static string Decode(Page page)
    {
        // The QR modules: small filled black squares (the seal is red, the text is text).
        var squares = page.Paths
            .Where(p => p.IsFilled && IsBlack(p))
            .Select(p => p.GetBoundingRectangle())
            .OfType<UglyToad.PdfPig.Core.PdfRectangle>()
            .Where(r => r.Width is > 0.5 and < 10 && Math.Abs(r.Width - r.Height) < 0.01)
            .ToList();
        Assert.True(squares.Count > 100, $"Expected the QR code's squares on the page, found {squares.Count}.");

        // Each square is a module drawn a hair larger than its pitch; the pitch is the smallest step between squares.
        var left = squares.Min(r => r.Left);
        var top = squares.Max(r => r.Top);
        var pitch = squares.Select(r => r.Left - left).Where(d => d > 0.5).Min();
        var modules = (int)Math.Round((squares.Max(r => r.Left) - left) / pitch) + 1;
        var side = (modules + (2 * QuietZoneModules)) * PixelsPerModule;
        var pixels = Enumerable.Repeat((byte)255, side * side).ToArray();
        foreach (var square in squares)
        {
            var column = (int)Math.Round((square.Left - left) / pitch) + QuietZoneModules;
            var row = (int)Math.Round((top - square.Top) / pitch) + QuietZoneModules;
            for (var y = 0; y < PixelsPerModule; y++)
            {
                Array.Fill(pixels, (byte)0, ((row * PixelsPerModule) + y) * side + (column * PixelsPerModule), PixelsPerModule);
            }
        }

        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(pixels, side, side, RGBLuminanceSource.BitmapFormat.Gray8)));
        var result = new QRCodeReader().decode(bitmap, new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true });
        Assert.True(result is not null, "ZXing.Net could not decode the printed QR code.");
        return result.Text;
    }

    private static bool IsBlack(UglyToad.PdfPig.Graphics.PdfPath path)
        => path.FillColor is { } color && color.ToRGBValues() is var (r, g, b) && r + g + b < 0.1;
}

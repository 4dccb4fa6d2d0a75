using System.Globalization;
using Archives.Contracts;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace Archives.Gateway.Certificates;

/// <summary>
/// The printable certificate: A4, 档案查询证明, the fields as real (extractable) Chinese text, the
/// holding archive's name as the text of a red seal, a QR code of the verification address, and the
/// number and key id in the footer. Needs <see cref="CertificateFont.Available"/>.
/// </summary>
internal static class CertificatePdf
{
    private const double Margin = 64;
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private static readonly XColor SealRed = XColor.FromArgb(0xD0, 0x1C, 0x1F);

    public static byte[] Render(Certificate certificate, string keyId, Uri verifyUrl, CertificateStatus status)
    {
        var document = new PdfDocument();
        document.Info.Title = $"档案查询证明 {certificate.Number}";
        document.Info.Subject = "档案查询证明";
        document.Info.Author = certificate.HoldingArchive.NameZh;
        document.Info.Creator = "Archives Gateway";

        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            Draw(gfx, page.Width.Point, page.Height.Point, certificate, keyId, verifyUrl, status);
        }

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static XFont Font(double size, bool bold = false) => new(CertificateFont.FamilyName, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Unicode);

    private static void Draw(XGraphics gfx, double width, double height, Certificate c, string keyId, Uri verifyUrl, CertificateStatus status)
    {
        var title = Font(26, bold: true);
        var label = Font(11, bold: true);
        var text = Font(11);
        var small = Font(8);
        var contentWidth = width - (2 * Margin);

        gfx.DrawString("档案查询证明", title, XBrushes.Black, new XRect(0, 64, width, 40), XStringFormats.TopCenter);
        gfx.DrawString($"编号：{c.Number}", text, XBrushes.Black, new XRect(Margin, 112, contentWidth, 16), XStringFormats.TopRight);
        if (status != CertificateStatus.Valid)
        {
            var stamp = status == CertificateStatus.Revoked ? "已撤销 REVOKED" : "已过期 EXPIRED";
            gfx.DrawString(stamp, Font(16, bold: true), new XSolidBrush(SealRed), new XRect(Margin, 112, contentWidth, 16), XStringFormats.TopLeft);
        }

        var y = 140.0;
        var statement = $"经查，{c.HoldingArchive.NameZh}馆藏{c.Record.Category.NameZh}档案中，有关{c.Subject.Name}的记载如下：";
        y = Paragraph(gfx, statement, text, Margin, y, contentWidth) + 8;

        var labelWidth = 92.0;
        var rows = new List<(string Label, string Value)>
        {
            ("查档对象", c.Subject.Name),
            ("公民身份号码", c.Subject.MaskedIdNumber ?? "（档案未载）"),
            ("馆藏单位", $"{c.HoldingArchive.NameZh}（{c.HoldingArchive.DivisionCode.Value}）"),
            ("档号", c.Record.ArchivalReference.Value),
            ("档案类别", c.Record.Category.NameZh),
            ("档案题名", c.Record.Title),
            ("形成日期", ChineseDate(c.Record.EventDate)),
            ("档案记载", c.Record.Summary),
        };
        if (c.Record.Facts.Count > 0)
        {
            rows.Add(("其他记载", string.Join("；", c.Record.Facts.Values)));
        }

        rows.Add(("匹配方式", c.Record.Match == MatchKind.Exact ? "公民身份号码一致" : "姓名及出生日期一致（经办人核对确认）"));
        rows.Add(("查档用途", c.Purpose));
        rows.Add(("利用方式", c.Use.NameZh));
        rows.Add(("申请人", Applicant(c)));
        rows.Add(("出证渠道", Channel(c.Issuer.Channel)));
        if (c.Issuer.ClerkName is { } clerk)
        {
            rows.Add(("经办人", clerk));
        }

        rows.Add(("出证时间", $"{c.IssuedAtChina:yyyy年M月d日 HH:mm}（北京时间） {c.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"));
        rows.Add(("有效期至", $"{c.ExpiresAt.ToOffset(ChinaTime.Offset):yyyy年M月d日}"));

        var rule = new XPen(XColors.LightGray, 0.5);
        foreach (var (name, value) in rows)
        {
            gfx.DrawString(name, label, XBrushes.Black, new XRect(Margin, y, labelWidth, 16), XStringFormats.TopLeft);
            var bottom = Paragraph(gfx, value, text, Margin + labelWidth, y, contentWidth - labelWidth);
            y = bottom + 5;
            gfx.DrawLine(rule, Margin, y - 2.5, width - Margin, y - 2.5);
        }

        y += 10;
        y = Paragraph(gfx, "特此证明。", text, Margin, y, contentWidth) + 4;
        Paragraph(gfx, $"本证明由长三角档案跨馆出证网关代{c.HoldingArchive.NameZh}出具，经电子签名；扫描二维码或访问下方网址，凭核验码核验真伪及是否撤销。", small, Margin, y, contentWidth);

        // Seal and QR code share the band above the footer.
        var bandTop = Math.Max(y + 30, height - 250);
        DrawQr(gfx, verifyUrl, Margin, bandTop, 110);
        gfx.DrawString($"核验码：{c.VerificationCode}", text, XBrushes.Black, new XRect(Margin + 120, bandTop + 40, 200, 16), XStringFormats.TopLeft);
        gfx.DrawString("扫码核验", small, XBrushes.DimGray, new XRect(Margin + 120, bandTop + 60, 200, 12), XStringFormats.TopLeft);
        DrawSeal(gfx, c.HoldingArchive.NameZh, new XPoint(width - Margin - 70, bandTop + 55), 62);
        gfx.DrawString(c.HoldingArchive.NameZh, text, XBrushes.Black, new XRect(Margin, bandTop + 130, contentWidth, 16), XStringFormats.TopRight);
        gfx.DrawString($"{c.IssuedAtChina:yyyy年M月d日}", text, XBrushes.Black, new XRect(Margin, bandTop + 148, contentWidth, 16), XStringFormats.TopRight);

        var footerY = height - 44;
        gfx.DrawLine(rule, Margin, footerY - 6, width - Margin, footerY - 6);
        gfx.DrawString($"证书编号 {c.Number}    签名密钥 {keyId}    ES256", small, XBrushes.DimGray, new XRect(Margin, footerY, contentWidth, 10), XStringFormats.TopLeft);
        gfx.DrawString(verifyUrl.GetLeftPart(UriPartial.Path), small, XBrushes.DimGray, new XRect(Margin, footerY + 11, contentWidth, 10), XStringFormats.TopLeft);
    }

    private static string Applicant(Certificate c) => c.Applicant.Relation switch
    {
        ApplicantRelation.Agent => $"委托代理人 {c.Applicant.Name}（授权委托书 {c.Applicant.PowerOfAttorneyReference}）",
        ApplicantRelation.Official => $"{c.Applicant.Organisation} {c.Applicant.Name}（公函 {c.Applicant.LetterReference}）",
        _ => $"本人 {c.Subject.Name}",
    };

    private static string Channel(CertificateChannel channel) => channel.Kind switch
    {
        IssuingChannelKind.Hall => $"窗口 {channel.Name ?? "办事大厅"}{(channel.Hall is { } hall ? $"（{hall.Value}）" : "")}",
        IssuingChannelKind.Partner => $"跨省协作 {channel.Name}",
        _ => $"网上办理 {channel.Name}",
    };

    private static string ChineseDate(DateOnly date) => $"{date.Year}年{date.Month}月{date.Day}日";

    /// <summary>Writes text wrapped by width, character by character (Chinese has no spaces to break at); returns the bottom.</summary>
    private static double Paragraph(XGraphics gfx, string value, XFont font, double x, double y, double width)
    {
        var lineHeight = font.Size * 1.45;
        var line = new System.Text.StringBuilder();
        var elements = StringInfo.GetTextElementEnumerator(value.ReplaceLineEndings(" "));
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            if (line.Length > 0 && gfx.MeasureString(line + element, font).Width > width)
            {
                gfx.DrawString(line.ToString(), font, XBrushes.Black, new XRect(x, y, width, lineHeight), XStringFormats.TopLeft);
                y += lineHeight;
                line.Clear();
                if (element == " ")
                {
                    continue;
                }
            }

            line.Append(element);
        }

        if (line.Length > 0)
        {
            gfx.DrawString(line.ToString(), font, XBrushes.Black, new XRect(x, y, width, lineHeight), XStringFormats.TopLeft);
            y += lineHeight;
        }

        return y;
    }

    /// <summary>The QR code as vector squares: sharp at any print resolution, no image decoding.</summary>
    private static void DrawQr(XGraphics gfx, Uri url, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url.AbsoluteUri, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var module = size / matrix.Count;
        for (var row = 0; row < matrix.Count; row++)
        {
            for (var column = 0; column < matrix[row].Count; column++)
            {
                if (matrix[row][column])
                {
                    // A hair larger than the module so neighbours leave no seams.
                    gfx.DrawRectangle(XBrushes.Black, x + (column * module), y + (row * module), module + 0.05, module + 0.05);
                }
            }
        }
    }

    /// <summary>A round red seal: the archive's name along the upper arc, a star, and 档案查询专用章 across.</summary>
    private static void DrawSeal(XGraphics gfx, string name, XPoint center, double radius)
    {
        var red = new XSolidBrush(SealRed);
        gfx.DrawEllipse(new XPen(SealRed, 2.6), center.X - radius, center.Y - radius, 2 * radius, 2 * radius);

        var chars = StringInfo.GetTextElementEnumerator(name);
        var glyphs = new List<string>();
        while (chars.MoveNext())
        {
            glyphs.Add((string)chars.Current);
        }

        var fontSize = glyphs.Count > 12 ? 9.5 : 12;
        var font = Font(fontSize, bold: true);
        var arc = Math.Min(250.0, glyphs.Count * (fontSize + 6) * 360 / (2 * Math.PI * (radius - fontSize)));
        for (var i = 0; i < glyphs.Count; i++)
        {
            var angle = glyphs.Count == 1 ? 0 : -arc / 2 + (arc * i / (glyphs.Count - 1));
            var state = gfx.Save();
            gfx.RotateAtTransform(angle, center);
            gfx.DrawString(glyphs[i], font, red, new XRect(center.X - fontSize, center.Y - radius + 5, 2 * fontSize, fontSize + 4), XStringFormats.TopCenter);
            gfx.Restore(state);
        }

        var star = new XPoint[10];
        for (var i = 0; i < 10; i++)
        {
            var r = i % 2 == 0 ? radius * 0.26 : radius * 0.105;
            var a = (-90 + (i * 36)) * Math.PI / 180;
            star[i] = new XPoint(center.X + (r * Math.Cos(a)), center.Y + (r * Math.Sin(a)));
        }

        gfx.DrawPolygon(red, star, XFillMode.Winding);
        gfx.DrawString("档案查询专用章", Font(8, bold: true), red, new XRect(center.X - radius, center.Y + (radius * 0.38), 2 * radius, 12), XStringFormats.TopCenter);
    }
}

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Archives.Contracts;
using Archives.Gateway.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Archives.Gateway.Certificates;

/// <summary>
/// <c>GET /verify/{number}?code=</c>: the public page the QR code points to, in Chinese (English with
/// <c>?lang=en</c>): valid, revoked (date and reason), expired or unknown, with a masked summary.
/// Rate-limited like the verification API.
/// </summary>
internal static class VerificationPage
{
    // The default encoder escapes every non-ASCII character; Chinese is written as it is.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static IEndpointRouteBuilder MapVerificationPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/verify/{number}", ShowAsync)
            .WithTags("Certificates")
            .AllowAnonymous()
            .RequireRateLimiting(GatewayRateLimits.VerificationPolicy)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The address the QR code of a certificate holds.</summary>
    public static Uri Link(HttpRequest request, CertificateOptions options, Certificate certificate)
    {
        var baseUrl = options.PublicBaseUrl?.GetLeftPart(UriPartial.Path).TrimEnd('/')
            ?? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
        return new Uri($"{baseUrl}/verify/{Uri.EscapeDataString(certificate.Number)}?code={Uri.EscapeDataString(certificate.VerificationCode)}");
    }

    private static async Task<ContentHttpResult> ShowAsync(string number, string? code, string? lang, HttpContext context, CertificateVerifier verifier, ICertificateAudit audit)
    {
        var english = string.Equals(lang, "en", StringComparison.OrdinalIgnoreCase);
        var answer = await verifier.ByCodeAsync(number, code, context.RequestAborted);
        await audit.RecordAsync(new CertificateAuditEvent(CertificateAction.Verified, null, answer.Certificate?.Number, Outcome: CertificateOutcomeCodes.Of(answer.Status)), CancellationToken.None);

        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        // Note: the code is in the URL: it must not leak through a Referer, a search engine or a frame.
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        return TypedResults.Content(Render(answer, number, code, english), "text/html; charset=utf-8");
    }

    internal static string Render(CertificateVerification answer, string number, string? code, bool english)
    {
        var e = Html;
        string T(string zh, string en) => english ? en : zh;
        var (headline, colour) = answer.Status switch
        {
            CertificateStatus.Valid => (T("证明有效", "This certificate is valid"), "#1a7f37"),
            CertificateStatus.Revoked => (T("证明已撤销", "This certificate has been revoked"), "#cf222e"),
            CertificateStatus.Expired => (T("证明已过期", "This certificate has expired"), "#9a6700"),
            _ => (T("无法核验：编号或核验码不正确", "Unknown: no certificate with this number and verification code"), "#57606a"),
        };

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="{{(english ? "en" : "zh-CN")}}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{e.Encode(T("档案查询证明核验", "Archive certificate verification"))}}</title>
            <style>body{font-family:system-ui,"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
            .status{font-size:1.5rem;font-weight:600}dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem}dt{color:#57606a}dd{margin:0}</style></head>
            <body><h1>{{e.Encode(T("档案查询证明核验", "Archive certificate verification"))}}</h1>
            <p class="status" style="color:{{colour}}" data-status="{{answer.Status.ToString().ToLowerInvariant()}}">{{e.Encode(headline)}}</p>
            """);

        if (answer.Certificate is { } c)
        {
            var china = ChinaTime.Offset;
            html.Append("<dl>");
            Row(html, T("证明编号", "Number"), c.Number);
            Row(html, T("馆藏单位", "Holding archive"), english ? c.HoldingArchiveEn : c.HoldingArchiveZh);
            Row(html, T("档案类别", "Record category"), english ? c.Category.NameEn : c.Category.NameZh);
            Row(html, T("查档对象", "Subject"), c.MaskedSubjectName);
            if (c.MaskedIdNumber is { } id)
            {
                Row(html, T("公民身份号码", "ID number"), id);
            }

            Row(html, T("出证时间", "Issued"), c.IssuedAt.ToOffset(china).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + T("（北京时间）", " (China time)"));
            Row(html, T("有效期至", "Valid until"), c.ExpiresAt.ToOffset(china).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (answer.Revocation is { } revocation)
            {
                Row(html, T("撤销时间", "Revoked"), revocation.RevokedAt.ToOffset(china).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + T("（北京时间）", " (China time)"));
                Row(html, T("撤销原因", "Reason"), revocation.Reason);
            }

            Row(html, T("签名密钥", "Signing key"), c.KeyId);
            html.Append("</dl>");
        }
        else
        {
            html.Append("<p>").Append(e.Encode(T(
                "请核对证明上的编号与核验码。伪造、变造的证明无法通过核验。",
                "Check the number and the verification code printed on the certificate. Forged or altered certificates do not verify."))).Append("</p>");
        }

        var other = english ? "zh" : "en";
        var query = $"?code={Uri.EscapeDataString(code ?? "")}{(other == "en" ? "&lang=en" : "")}";
        html.Append(CultureInfo.InvariantCulture, $"""<p><a href="/verify/{e.Encode(Uri.EscapeDataString(number))}{e.Encode(query)}">{(english ? "中文" : "English")}</a></p></body></html>""");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string label, string value)
        => html.Append("<dt>").Append(Html.Encode(label)).Append("</dt><dd>").Append(Html.Encode(value)).Append("</dd>");
}

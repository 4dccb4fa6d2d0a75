using System.Globalization;
using System.Net;
using Refit;
using static Archives.ServiceHall.Hosting.Text;

namespace Archives.ServiceHall.Hosting;

/// <summary>What went wrong with a gateway call, in the clerk's language, with what to do next.</summary>
public sealed record GatewayProblem(string Title, string Advice, bool Severe = true)
{
    /// <summary>The gateway's problem for a failed call, or null when the exception is not a gateway failure.</summary>
    public static GatewayProblem? From(Exception exception) => exception switch
    {
        ApiException { StatusCode: HttpStatusCode.TooManyRequests } e => new(
            T("请求过于频繁", "Too many requests"),
            T($"请等待 {RetryAfter(e)} 秒后再试。", $"Please wait {RetryAfter(e)} seconds, then try again."), Severe: false),
        ApiException { StatusCode: HttpStatusCode.Unauthorized } => new(
            T("登录已失效", "Your sign-in has expired"), T("请刷新页面重新登录。", "Reload the page to sign in again.")),
        ApiException { StatusCode: HttpStatusCode.Forbidden } e => new(
            T("超出权限或协议范围", "Outside your permission or agreement"), Detail(e) ?? T("此操作不在本窗口的权限内。", "This is not within this window's permissions.")),
        ApiException { StatusCode: HttpStatusCode.NotFound } => new(
            T("未找到", "Not found"), T("该证明或记录不存在，或不属于本窗口。", "The certificate or record does not exist, or belongs to another hall.")),
        ApiException { StatusCode: HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.BadGateway } e => new(
            T("档案馆或平台暂时无法响应", "An archive or the platform is not answering"),
            T($"未出具任何证明。请稍后重试{Wait(e)}；如持续，请告知申请人可改日办理或联系技术支持。",
              $"Nothing was issued. Please try again{WaitEn(e)}; if it persists, the applicant may come back another day, or call technical support.")),
        ApiException { StatusCode: >= HttpStatusCode.InternalServerError } => new(
            T("档案共享平台出错", "The archive platform failed"), T("请稍后重试；如持续，请联系技术支持。", "Please try again later; if it persists, call technical support.")),
        ApiException e => new(T("请求未被接受", "The request was refused"), Detail(e) ?? e.ReasonPhrase ?? ""),
        HttpRequestException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException => new(
            T("无法连接档案共享平台", "Cannot reach the archive platform"),
            T("网关暂时无法访问，未出具任何证明。请稍后重试；如持续，请联系技术支持。", "The gateway cannot be reached; nothing was issued. Please try again shortly; if it persists, call technical support.")),
        _ => null,
    };

    private static string? Detail(ApiException e) => (e as ValidationApiException)?.Content?.Detail;

    private static int RetryAfter(ApiException e) => e.Headers.RetryAfter?.Delta is { } delta ? Math.Max(1, (int)Math.Ceiling(delta.TotalSeconds)) : 60;

    private static string Wait(ApiException e) => e.Headers.RetryAfter?.Delta is { } ? $"（约 {RetryAfter(e).ToString(CultureInfo.InvariantCulture)} 秒后）" : "";

    private static string WaitEn(ApiException e) => e.Headers.RetryAfter?.Delta is { } ? $" in about {RetryAfter(e).ToString(CultureInfo.InvariantCulture)} s" : "";
}

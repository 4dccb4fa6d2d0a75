using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using static Archives.ServiceHall.Hosting.Text;

namespace Archives.ServiceHall.Pages;

[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "";

    public string Advice { get; private set; } = "";

    public int? Status { get; private set; }

    public void OnGet([FromQuery] int? status) => Describe(status);

    public void OnPost([FromQuery] int? status) => Describe(status);

    private void Describe(int? status)
    {
        Status = status;
        (Title, Advice) = status switch
        {
            401 => (T("登录未完成", "Sign-in did not complete"), T("请重新登录；如反复出现，请联系技术支持并告知时间。", "Please sign in again; if it keeps happening, tell technical support the time it happened.")),
            404 => (T("页面不存在", "Page not found"), T("请从“查询”重新开始。", "Start again from Search.")),
            400 => (T("请求无效", "Invalid request"), T("表单可能已过期，请返回上一页刷新后重试。", "The form may have expired; go back, reload and try again.")),
            403 => (T("无权执行此操作", "Not allowed"), T("此操作需要相应权限，请联系窗口主管。", "This needs a permission you do not have; ask your supervisor.")),
            _ => (T("系统出错", "Something went wrong"), T("请稍后重试；如仍出错，请联系技术支持并告知时间。", "Please try again shortly; if it keeps failing, tell technical support the time it happened.")),
        };
    }
}

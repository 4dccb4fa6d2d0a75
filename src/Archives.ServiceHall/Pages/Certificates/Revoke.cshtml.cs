using Archives.Contracts;
using Archives.ServiceHall.Access;
using Archives.ServiceHall.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using static Archives.ServiceHall.Hosting.Text;

namespace Archives.ServiceHall.Pages.Certificates;

/// <summary>
/// Revoking a certificate (撤销) with a reason: a supervisor's act. The page is offered to supervisors only; the
/// gateway checks the role and scope again, so an ordinary clerk's post is refused there too.
/// </summary>
public sealed class RevokeModel(ICertificatesApi certificates) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Number { get; set; } = "";

    [BindProperty]
    public string? Reason { get; set; }

    public GatewayProblem? Problem { get; private set; }

    public bool Allowed => Clerk.From(User).IsSupervisor;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var reason = Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > CertificateLimits.MaxReasonLength)
        {
            ModelState.AddModelError(nameof(Reason), T($"请填写撤销原因（最多 {CertificateLimits.MaxReasonLength} 字）。", $"Give the reason (at most {CertificateLimits.MaxReasonLength} characters)."));
            return Page();
        }

        try
        {
            await certificates.RevokeAsync(Number, new CertificateRevocationRequest { Reason = reason }, HttpContext.RequestAborted);
            return Redirect($"/certificates/{Uri.EscapeDataString(Number)}");
        }
        catch (Exception e) when (GatewayProblem.From(e) is { } problem)
        {
            Problem = problem;
            return Page();
        }
    }
}

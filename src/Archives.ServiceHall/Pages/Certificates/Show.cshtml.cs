using Archives.Contracts;
using Archives.ServiceHall.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Archives.ServiceHall.Pages.Certificates;

/// <summary>The certificate as issued (证明详情), with its PDF: every PDF fetched is a print the gateway counts.</summary>
public sealed class ShowModel(ICertificatesApi certificates) : PageModel
{
    public IssuedCertificate? Issued { get; private set; }

    public GatewayProblem? Problem { get; private set; }

    public async Task OnGetAsync(string number)
    {
        try
        {
            Issued = await certificates.GetAsync(number, HttpContext.RequestAborted);
        }
        catch (Exception e) when (GatewayProblem.From(e) is { } problem)
        {
            Problem = problem;
        }
    }

    /// <summary>The PDF, fetched from the gateway with the clerk's token (the browser holds none).</summary>
    public async Task<IActionResult> OnGetPdfAsync(string number)
    {
        try
        {
            var pdf = await certificates.GetPdfAsync(number, HttpContext.RequestAborted);
            var bytes = await pdf.ReadAsByteArrayAsync(HttpContext.RequestAborted);
            Response.Headers.ContentDisposition = $"inline; filename=\"{number}.pdf\"";
            return File(bytes, "application/pdf");
        }
        catch (Exception e) when (GatewayProblem.From(e) is { } problem)
        {
            Problem = problem;
            return Page();
        }
    }
}

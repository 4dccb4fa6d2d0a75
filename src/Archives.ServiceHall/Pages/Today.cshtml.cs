using Archives.Contracts;
using Archives.ServiceHall.Hosting;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Archives.ServiceHall.Pages;

/// <summary>The hall's day (当日出证登记): the certificates issued at this hall today, to reprint or, for a supervisor, revoke.</summary>
public sealed class TodayModel(ICertificatesApi certificates) : PageModel
{
    public IReadOnlyList<IssuedCertificate> Certificates { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public GatewayProblem? Problem { get; private set; }

    public async Task OnGetAsync(string? cursor)
    {
        try
        {
            // The gateway limits the list to this clerk's hall and client; "today" is its China day.
            var page = await certificates.ListAsync(new CertificateListQuery { Cursor = cursor, Limit = 50 }, HttpContext.RequestAborted);
            Certificates = page.Certificates;
            NextCursor = page.NextCursor;
        }
        catch (Exception e) when (GatewayProblem.From(e) is { } problem)
        {
            Problem = problem;
        }
    }
}

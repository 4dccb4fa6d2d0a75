using System.Text.RegularExpressions;
using Archives.ServiceHall.Tests.Browser;
using Archives.ServiceHall.Tests.World;
using Microsoft.Playwright;

namespace Archives.ServiceHall.Tests.Certificates;

/// <summary>Revoking: a supervisor may, an ordinary clerk may not, and the gateway's ledger says which happened.</summary>
public sealed partial class RevokeTests(HallWorld world)
{
    [Fact]
    public async Task Revoke_AnOrdinaryClerkCannot_ASupervisorCan()
    {
        var citizen = DemoCitizen.XuHaiyan;
        string number;
        await using (var clerk = await HallSession.OpenAsync(world))
        {
            await clerk.SignInAsync("hz-clerk");
            await HallFlow.SearchAsync(clerk, citizen);
            await HallFlow.Records(clerk.Page, "330100").First.WaitForAsync();
            number = await HallFlow.IssueAsync(clerk, "330100");

            // Neither on the certificate page nor in the day list is there a way to revoke for a clerk.
            Assert.Equal(0, await RevokeControls(clerk.Page).CountAsync());
            await clerk.GotoAsync("/today");
            await clerk.Page.GetByText(number).First.WaitForAsync();
            await clerk.StepAsync("day-list-clerk");
            Assert.Equal(0, await RevokeControls(clerk.Page).CountAsync());

            // Nor by typing the revoke page's address: the page says who may, and offers no form.
            await clerk.GotoAsync($"/certificates/{Uri.EscapeDataString(number)}/revoke");
            await clerk.StepAsync("revoke-page-clerk");
            Assert.Equal(0, await clerk.Page.GetByLabel(ReasonLabel()).CountAsync());
            Assert.Equal(0, await clerk.Page.GetByRole(AriaRole.Button, new() { NameRegex = ConfirmText() }).CountAsync());
        }

        Assert.Equal("valid", (await world.Ledger.CertificateAsync(number)).Status);

        await using var supervisor = await HallSession.OpenAsync(world);
        await supervisor.SignInAsync("hz-supervisor");
        await supervisor.GotoAsync($"/certificates/{Uri.EscapeDataString(number)}");
        await RevokeControls(supervisor.Page).First.WaitForAsync();
        await supervisor.StepAsync("certificate-supervisor");
        if (await supervisor.Page.GetByLabel(ReasonLabel()).CountAsync() == 0)
        {
            // The revoke control may open its form first.
            await RevokeControls(supervisor.Page).First.ClickAsync();
        }

        await supervisor.Page.GetByLabel(ReasonLabel()).First.FillAsync("申请人信息有误，重新出具");
        await supervisor.StepAsync("revoke-form");
        await supervisor.Page.GetByRole(AriaRole.Button, new() { NameRegex = ConfirmText() }).Last.ClickAsync();
        await supervisor.Page.GetByText(RevokedText()).First.WaitForAsync();
        await supervisor.StepAsync("revoked");

        var state = await world.Ledger.CertificateAsync(number);
        Assert.Equal("revoked", state.Status);
        Assert.Equal("申请人信息有误，重新出具", state.RevocationReason);
    }

    private static ILocator RevokeControls(IPage page) =>
        page.GetByRole(AriaRole.Button, new() { NameRegex = RevokeText() }).Or(page.GetByRole(AriaRole.Link, new() { NameRegex = RevokeText() }));

    [GeneratedRegex("^\\s*(撤销|Revoke)", RegexOptions.IgnoreCase)]
    private static partial Regex RevokeText();

    [GeneratedRegex("撤销|Revoke", RegexOptions.IgnoreCase)]
    private static partial Regex ConfirmText();

    [GeneratedRegex("理由|原因|Reason", RegexOptions.IgnoreCase)]
    private static partial Regex ReasonLabel();

    [GeneratedRegex("已撤销|Revoked", RegexOptions.IgnoreCase)]
    private static partial Regex RevokedText();
}

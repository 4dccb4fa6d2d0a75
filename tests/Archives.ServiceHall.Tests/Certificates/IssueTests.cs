using Archives.ServiceHall.Tests.Browser;
using Archives.ServiceHall.Tests.World;
using Microsoft.Playwright;

namespace Archives.ServiceHall.Tests.Certificates;

/// <summary>Issuing at the window: one certificate per form, whatever the clerk's browser does, as the gateway's ledger records it.</summary>
public sealed class IssueTests(HallWorld world)
{
    [Fact]
    public async Task Issue_DoubleClickRefreshAndBackResubmit_GiveOneCertificate()
    {
        var citizen = DemoCitizen.WangLihua;
        var before = await world.Ledger.IssuedForAsync(citizen.IdNumber);
        await using var session = await HallSession.OpenAsync(world);
        await session.SignInAsync("hz-clerk");
        await HallFlow.SearchAsync(session, citizen);
        await HallFlow.Records(session.Page, "310000").First.WaitForAsync();

        await HallFlow.OpenIssueFormAsync(session, "310000");
        await HallFlow.FillIssueFormAsync(session);
        await session.StepAsync("issue-form");
        // A double click sends the form twice (the second navigation replaces the first).
        await HallFlow.IssueButton(session.Page).DblClickAsync();
        var number = await HallFlow.CertificateNumberAsync(session);
        await session.StepAsync("certificate");

        // Refresh: the certificate page is a GET (Post/Redirect/Get), so nothing is sent again.
        await session.Page.ReloadAsync();
        Assert.Equal(number, await HallFlow.CertificateNumberAsync(session));

        // Back to the form and submit it again: the form's Idempotency-Key answers the same certificate.
        await session.Page.GoBackAsync();
        await session.Page.WaitForURLAsync(url => url.Contains("/certificates/new", StringComparison.Ordinal));
        await session.StepAsync("back-at-form");
        if (await HallFlow.IssueButton(session.Page).IsVisibleAsync())
        {
            await HallFlow.FillIssueFormAsync(session);
            await HallFlow.IssueButton(session.Page).ClickAsync();
            Assert.Equal(number, await HallFlow.CertificateNumberAsync(session));
        }

        var after = await world.Ledger.IssuedForAsync(citizen.IdNumber);
        Assert.Equal([number], after.Except(before));
        Assert.Equal(before.Count + 1, after.Count);
        Assert.Contains(number, await session.Page.InnerTextAsync("main"));
        session.AssertNeverShown(citizen.IdNumber);
    }

    [Fact]
    public async Task Issue_InTwoTabs_FromOneForm_GivesOneCertificate()
    {
        var citizen = DemoCitizen.ChenJianguo;
        var before = await world.Ledger.IssuedForAsync(citizen.IdNumber);
        await using var session = await HallSession.OpenAsync(world);
        await session.SignInAsync("hz-clerk");
        await HallFlow.SearchAsync(session, citizen);
        await HallFlow.Records(session.Page, "330000").First.WaitForAsync();
        await HallFlow.OpenIssueFormAsync(session, "330000");
        await HallFlow.FillIssueFormAsync(session);

        // The same rendered form (same hidden key) in a second tab: the page's HTML copied into it at the
        // same address (typed values are properties, not in the HTML, so the form is filled again there).
        var second = await session.Context.NewPageAsync();
        await second.GotoAsync(session.Page.Url);
        await second.SetContentAsync(await session.Page.ContentAsync(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await HallFlow.FillIssueFormAsync(second);
        await HallFlow.IssueButton(session.Page).ClickAsync();
        var number = await HallFlow.CertificateNumberAsync(session);
        await HallFlow.IssueButton(second).ClickAsync();
        await second.WaitForURLAsync(HallFlow.CertificateUrl(), new() { WaitUntil = WaitUntilState.Commit });

        Assert.Equal(number, Uri.UnescapeDataString(new Uri(second.Url).AbsolutePath.Split('/')[^1]));
        var after = await world.Ledger.IssuedForAsync(citizen.IdNumber);
        Assert.Equal([number], after.Except(before));
    }

    [Fact]
    public async Task Issue_APaperOnlyRecord_SaysWhenToComeBack_ThenTheSameFormIssuesItOnce()
    {
        var citizen = DemoCitizen.LiMing;
        var before = await world.Ledger.IssuedForAsync(citizen.IdNumber);
        await using var session = await HallSession.OpenAsync(world);
        await session.SignInAsync("hz-clerk");
        await HallFlow.SearchAsync(session, citizen);
        await HallFlow.Records(session.Page, "330100").First.WaitForAsync();

        // 李明's 2001 employment record exists on paper only: the archive must retrieve it first (202).
        await HallFlow.OpenIssueFormAsync(session, "330100");
        await HallFlow.FillIssueFormAsync(session);
        await HallFlow.IssueButton(session.Page).ClickAsync();
        var notice = session.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "须先调档" });
        await notice.WaitForAsync();
        await session.StepAsync("paper-record-retrieving");

        Assert.Contains("分钟后可出证", await notice.InnerTextAsync());
        Assert.Empty((await world.Ledger.IssuedForAsync(citizen.IdNumber)).Except(before));

        // The test nodes retrieve a paper record in 2 s; the clerk presses the same form's button again.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        await HallFlow.IssueButton(session.Page).ClickAsync();
        var number = await HallFlow.CertificateNumberAsync(session);

        var after = await world.Ledger.IssuedForAsync(citizen.IdNumber);
        Assert.Equal([number], after.Except(before));
        session.AssertNeverShown(citizen.IdNumber);
    }

    [Fact]
    public async Task Certificate_Pdf_IsAPdfAndEveryPrintIsCounted()
    {
        var citizen = DemoCitizen.WangLihua;
        await using var session = await HallSession.OpenAsync(world);
        await session.SignInAsync("hz-clerk");
        await HallFlow.SearchAsync(session, citizen);
        await HallFlow.Records(session.Page, "330100").First.WaitForAsync();
        var number = await HallFlow.IssueAsync(session, "330100");
        await session.StepAsync("certificate");
        var printed = (await world.Ledger.CertificateAsync(number)).PrintCount;

        // The PDF link as the clerk's browser follows it (with the hall's cookie), through the hall.
        var link = session.Page.Locator("a[href*='pdf']").First;
        var href = new Uri(new Uri(session.Page.Url), await link.GetAttributeAsync("href")).AbsoluteUri;
        var pdf = await session.Context.APIRequest.GetAsync(href);

        Assert.Equal(200, pdf.Status);
        Assert.StartsWith("application/pdf", pdf.Headers["content-type"]);
        Assert.Equal("%PDF-"u8.ToArray(), (await pdf.BodyAsync())[..5]);
        Assert.Equal(printed + 1, (await world.Ledger.CertificateAsync(number)).PrintCount);
    }

    [Fact]
    public async Task Verify_OnAPhone_ThePublicPageSaysTheCertificateIsValid()
    {
        var citizen = DemoCitizen.WangLihua;
        string number;
        await using (var session = await HallSession.OpenAsync(world))
        {
            await session.SignInAsync("hz-clerk");
            await HallFlow.SearchAsync(session, citizen);
            await HallFlow.Records(session.Page, "310000").First.WaitForAsync();
            number = await HallFlow.IssueAsync(session, "310000");
        }

        // What the printed QR code opens: the gateway's public page, on a phone, without signing in.
        var issued = await world.Ledger.CertificateAsync(number);
        await using var phone = await HallSession.OpenAsync(world, width: 390, height: 844);
        await phone.Page.GotoAsync(new Uri(world.Gateway, $"verify/{Uri.EscapeDataString(number)}?code={Uri.EscapeDataString(issued.VerificationCode)}").AbsoluteUri);
        await phone.Page.GetByText("证明有效").First.WaitForAsync();
        await phone.StepAsync("verified-on-phone");

        Assert.Contains(number, await phone.Page.InnerTextAsync("body"));
        // Fits the phone's width: no sideways scrolling.
        Assert.True(await phone.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The verification page is wider than a 390 px phone.");
        phone.AssertNeverShown(citizen.IdNumber);
    }
}

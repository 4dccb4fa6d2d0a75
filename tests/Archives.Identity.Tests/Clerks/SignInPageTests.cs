using System.Net;
using Archives.Identity.Tests.Connect;

namespace Archives.Identity.Tests.Clerks;

[Collection(SharedServer.Name)]
public sealed class SignInPageTests(SharedIdentityServer server)
{
    [Fact]
    public async Task SignInPage_IsInChineseByDefault()
    {
        using var browser = server.CreateBrowser();

        var page = await browser.GetStringAsync("account/signin", TestContext.Current.CancellationToken);

        Assert.Contains("<html lang=\"zh-CN\">", page);
        Assert.Contains("窗口工作人员登录", page);
        Assert.Contains("密码", page);
    }

    [Fact]
    public async Task SignInPage_SwitchesToEnglishWithLang_AndRemembersIt()
    {
        using var browser = server.CreateBrowser();

        var english = await browser.GetStringAsync("account/signin?lang=en", TestContext.Current.CancellationToken);
        var remembered = await browser.GetStringAsync("account/signin", TestContext.Current.CancellationToken);
        var chinese = await browser.GetStringAsync("account/signin?lang=zh", TestContext.Current.CancellationToken);

        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("Service-hall clerk sign-in", english);
        Assert.Contains("Service-hall clerk sign-in", remembered);
        Assert.Contains("窗口工作人员登录", chinese);
    }

    [Theory]
    [InlineData("en", "Service-hall clerk sign-in")]
    [InlineData("en-GB zh-CN", "Service-hall clerk sign-in")]
    [InlineData("zh-CN", "窗口工作人员登录")]
    public async Task SignInPage_FollowsTheUiLocalesOfTheAuthorizationRequest_OverTheCookie(string uiLocales, string title)
    {
        using var browser = new ClerkBrowser(server);
        await browser.Http.GetAsync("account/signin?lang=" + (uiLocales.StartsWith("en", StringComparison.Ordinal) ? "zh" : "en"), TestContext.Current.CancellationToken);

        using var authorize = await browser.Http.GetAsync(browser.AuthorizeUrl() + "&ui_locales=" + Uri.EscapeDataString(uiLocales), TestContext.Current.CancellationToken);
        var page = await browser.Http.GetStringAsync(authorize.Headers.Location, TestContext.Current.CancellationToken);
        // An unknown user, so that no demo clerk of the shared server comes nearer to a lockout.
        using var failed = await browser.Http.PostAsync(authorize.Headers.Location, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = ClerkBrowser.HiddenInput(page, "__RequestVerificationToken"),
            ["ReturnUrl"] = WebUtility.HtmlDecode(ClerkBrowser.HiddenInput(page, "ReturnUrl")),
            ["UserName"] = "nobody",
            ["Password"] = "not-the-password",
        }), TestContext.Current.CancellationToken);

        Assert.Contains(title, page);
        Assert.Contains(title, await failed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SignInPost_WithoutAntiforgeryToken_IsRejected()
    {
        using var browser = server.CreateBrowser();
        var clerk = IdentityServerHost.Clerk("hz-clerk");

        using var response = await browser.PostAsync("account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = clerk.UserName,
            ["Password"] = clerk.Password,
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task SignInPost_WithAForeignReturnUrl_StaysOnThisServer()
    {
        using var browser = server.CreateBrowser();
        var clerk = IdentityServerHost.Clerk("hz-clerk");
        var page = await browser.GetStringAsync("account/signin", TestContext.Current.CancellationToken);

        using var response = await browser.PostAsync("account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = ClerkBrowser.HiddenInput(page, "__RequestVerificationToken"),
            ["ReturnUrl"] = "https://evil.example/phish",
            ["UserName"] = clerk.UserName,
            ["Password"] = clerk.Password,
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/signin", response.Headers.Location!.OriginalString);
    }
}

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

using Archives.ServiceHall.Tests.Browser;
using Archives.ServiceHall.Tests.World;

namespace Archives.ServiceHall.Tests.SignIn;

/// <summary>Signing in at the identity server (code + PKCE) and landing back at the hall as the clerk.</summary>
public sealed class SignInTests(HallWorld world)
{
    [Fact]
    public async Task SignIn_AsADemoClerk_ShowsTheClerksNameAndHall()
    {
        await using var session = await HallSession.OpenAsync(world);

        await session.SignInAsync("hz-clerk");
        await session.StepAsync("signed-in");

        // The clerk's name and hall come from the token (clerks.json: 王芳, 杭州市民中心).
        var body = await session.Page.InnerTextAsync("body");
        Assert.Contains("王芳", body);
        Assert.Contains("杭州市民中心", body);
        Assert.Equal("zh-CN", await session.Page.GetAttributeAsync("html", "lang"));
    }

    [Fact]
    public async Task SignIn_Page_IsTheIdentityServersWithTheHallAsClient()
    {
        await using var session = await HallSession.OpenAsync(world);

        await session.GotoAsync("/search");
        await session.Page.WaitForURLAsync(url => url.StartsWith(world.Identity.Issuer.AbsoluteUri, StringComparison.Ordinal));
        await session.StepAsync("signin-page");

        // Only the identity server sees the password; the hall is sent back to where the clerk was going.
        Assert.Contains("/account/signin", session.Page.Url);
        await session.SignInAsync("hz-clerk");
        Assert.EndsWith("/search", new Uri(session.Page.Url).AbsolutePath);
    }
}

using System.Net;
using Archives.Identity.Tests.Connect;

namespace Archives.Identity.Tests.Clerks;

public sealed class LockoutTests
{
    [Fact]
    public async Task SignIn_AfterRepeatedFailures_IsLockedOut_EvenWithTheRightPassword()
    {
        await using var server = new IdentityServerHost("Development", new() { ["Identity:MaxFailedSignIns"] = "3" });
        await server.InitializeAsync();
        var clerk = IdentityServerHost.Clerk("nb-clerk");
        using var browser = new ClerkBrowser(server);

        var failures = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            failures.Add((await browser.SignInAsync(clerk.UserName, "wrong-password-" + i)).PageStatus);
        }

        var locked = await browser.SignInAsync(clerk.UserName, clerk.Password);
        var otherClerk = IdentityServerHost.Clerk("hz-clerk");
        using var otherBrowser = new ClerkBrowser(server);
        var other = await otherBrowser.SignInAsync(otherClerk.UserName, otherClerk.Password);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], failures);
        Assert.Null(locked.Code);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.PageStatus);
        Assert.Contains("锁定", locked.PageBody);
        Assert.NotNull(other.Code);
    }
}

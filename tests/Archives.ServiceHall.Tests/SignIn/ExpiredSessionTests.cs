using Archives.ServiceHall.Tests.Browser;
using Archives.ServiceHall.Tests.World;
using Microsoft.Playwright;

namespace Archives.ServiceHall.Tests.SignIn;

/// <summary>A session that ends while the clerk types: through sign-in and back, with what was typed still there.</summary>
public sealed class ExpiredSessionTests(HallWorld world)
{
    /// <summary>The identity server's own cookies; the hall's are told apart by name (both apps are on 127.0.0.1, and cookies ignore ports).</summary>
    private static readonly string[] IdentityCookies = ["archives.clerk", "archives.lang"];

    [Fact]
    public async Task ExpiredSession_SubmitThenSignInAgain_KeepsWhatWasTyped()
    {
        var citizen = DemoCitizen.WangLihua;
        await using var session = await HallSession.OpenAsync(world);
        await session.GotoAsync("/");
        await session.Page.WaitForURLAsync(url => url.Contains("/account/signin", StringComparison.Ordinal));
        var beforeSignIn = (await session.Context.CookiesAsync()).Select(c => c.Name).ToHashSet();
        await session.SignInAsync("hz-clerk");
        // The hall's session: the cookies that came with signing in, apart from the identity server's.
        var hallSession = (await session.Context.CookiesAsync()).Select(c => c.Name)
            .Where(name => !beforeSignIn.Contains(name) && !IdentityCookies.Contains(name)).ToList();
        Assert.NotEmpty(hallSession);

        await HallFlow.FillSearchAsync(session, citizen, withNameAndBirth: true);
        foreach (var name in hallSession)
        {
            await session.Context.ClearCookiesAsync(new() { Name = name });
        }

        await session.Page.GetByRole(AriaRole.Button, new() { NameRegex = HallFlow.SearchButton() }).First.ClickAsync();
        // Through the identity server: it may still know the clerk (no password asked) or ask again.
        await session.Page.WaitForURLAsync(url => url.Contains("/account/signin", StringComparison.Ordinal) || url.StartsWith(world.Hall.AbsoluteUri, StringComparison.Ordinal) && !url.Contains("signin-oidc", StringComparison.Ordinal));
        if (session.Page.Url.Contains("/account/signin", StringComparison.Ordinal))
        {
            await session.SignInAsync("hz-clerk");
        }

        await session.WaitForHallAsync();
        await session.StepAsync("after-sign-in-again");
        var path = new Uri(session.Page.Url).AbsolutePath;
        if (path == "/search")
        {
            // Back on the form, the typed values restored (the clerk submits again).
            Assert.Equal(citizen.IdNumber, await session.Page.GetByLabel(HallFlow.IdNumberLabel()).First.InputValueAsync());
            Assert.Equal(citizen.Name, await session.Page.GetByLabel(HallFlow.NameLabel()).First.InputValueAsync());
        }
        else
        {
            // Or the search went ahead as submitted.
            Assert.Matches(HallFlow.SearchResultsUrl(), session.Page.Url);
            await HallFlow.Records(session.Page, "310000").First.WaitForAsync();
        }

        session.AssertNeverShown(citizen.IdNumber);
    }
}

using Archives.ServiceHall.Tests.Browser;
using Archives.ServiceHall.Tests.World;
using Microsoft.Playwright;

namespace Archives.ServiceHall.Tests.Keyboard;

/// <summary>The whole window flow with the keyboard alone: Tab, typing, Enter and Space, never a click.</summary>
public sealed class KeyboardTests(HallWorld world)
{
    [Fact]
    public async Task WholeFlow_WithTheKeyboardOnly_IssuesACertificate()
    {
        var citizen = DemoCitizen.XuHaiyan;
        var before = await world.Ledger.IssuedForAsync(citizen.IdNumber);
        await using var session = await HallSession.OpenAsync(world);
        var page = session.Page;

        await session.SignInAsync("hz-clerk", keyboard: true);
        await session.StepAsync("signed-in");

        if (!new Uri(page.Url).AbsolutePath.StartsWith("/search", StringComparison.Ordinal))
        {
            await Keys.ActivateAsync(page, page.Locator("a[href='/search']").First);
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/search");
        }

        await TypeIntoAsync(page, page.GetByLabel(HallFlow.IdNumberLabel()).First, citizen.IdNumber);
        Assert.True(await Keys.FocusIsVisibleAsync(page), "The focused ID number field shows no focus indicator.");
        if (await page.GetByLabel(HallFlow.PurposeLabel()).CountAsync() > 0)
        {
            await TypeIntoAsync(page, page.GetByLabel(HallFlow.PurposeLabel()).First, "办理退休手续");
        }

        await session.StepAsync("search-form");
        await Keys.ActivateAsync(page, page.GetByRole(AriaRole.Button, new() { NameRegex = HallFlow.SearchButton() }).First);
        await page.WaitForURLAsync(HallFlow.SearchResultsUrl(), new() { WaitUntil = WaitUntilState.Commit });
        await HallFlow.Records(page, "330100").First.WaitForAsync();
        await session.StepAsync("results");

        var issue = HallFlow.Records(page, "330100").First.Locator("a[href*='/certificates/new']").First;
        await Keys.TabToAsync(page, issue);
        Assert.True(await Keys.FocusIsVisibleAsync(page), "The focused issue link shows no focus indicator.");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("/certificates/new", StringComparison.Ordinal));

        await TypeIntoAsync(page, page.GetByLabel(HallFlow.PurposeLabel()).First, "办理退休手续");
        var manner = page.GetByLabel(HallFlow.MannerLabel());
        if (await manner.CountAsync() > 0 && await manner.First.EvaluateAsync<string>("e => e.tagName") == "SELECT")
        {
            await TypeIntoAsync(page, manner.First, "");
        }
        else if (await page.GetByRole(AriaRole.Group, new() { NameRegex = HallFlow.MannerLabel() }).Locator("input[type=radio]:checked").CountAsync() == 0)
        {
            // Tab reaches a radio group at its checked radio, or at its first when none is.
            await Keys.ActivateAsync(page, page.GetByRole(AriaRole.Group, new() { NameRegex = HallFlow.MannerLabel() }).GetByRole(AriaRole.Radio).First, " ");
        }

        var self = page.GetByRole(AriaRole.Radio, new() { NameRegex = HallFlow.SelfRelation() }).First;
        if (!await self.IsCheckedAsync())
        {
            await Keys.ActivateAsync(page, self, " ");
        }

        Assert.True(await self.IsCheckedAsync());
        await session.StepAsync("issue-form");
        await Keys.ActivateAsync(page, HallFlow.IssueButton(page));
        var number = await HallFlow.CertificateNumberAsync(session);
        await session.StepAsync("certificate");

        var after = await world.Ledger.IssuedForAsync(citizen.IdNumber);
        Assert.Equal([number], after.Except(before));
        session.AssertNeverShown(citizen.IdNumber);
    }

    /// <summary>Tabs to a field and types into it; a select is set with the arrow keys to its first real option (or the one labelled <paramref name="text"/>).</summary>
    private static async Task TypeIntoAsync(IPage page, ILocator field, string text)
    {
        await Keys.TabToAsync(page, field);
        if (await field.EvaluateAsync<string>("e => e.tagName") == "SELECT")
        {
            for (var presses = 0; presses < 30; presses++)
            {
                var label = await field.EvaluateAsync<string>("s => s.value ? s.options[s.selectedIndex].label : ''");
                if (label.Length > 0 && (text.Length == 0 || label == text))
                {
                    return;
                }

                await page.Keyboard.PressAsync("ArrowDown");
            }

            Assert.Fail($"The arrow keys never chose '{text}' in {field}.");
        }

        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(text);
    }
}

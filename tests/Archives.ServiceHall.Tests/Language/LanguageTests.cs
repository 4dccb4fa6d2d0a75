using System.Text.RegularExpressions;
using Archives.ServiceHall.Tests.Browser;
using Archives.ServiceHall.Tests.World;
using Microsoft.Playwright;

namespace Archives.ServiceHall.Tests.Language;

/// <summary>Chinese by default; an English switch that is remembered from page to page.</summary>
public sealed partial class LanguageTests(HallWorld world)
{
    [Fact]
    public async Task English_Switch_IsRememberedAcrossPages()
    {
        await using var session = await HallSession.OpenAsync(world);
        await session.SignInAsync("hz-clerk");
        var page = session.Page;
        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));

        await page.GetByRole(AriaRole.Link, new() { NameRegex = English() }).Or(page.GetByRole(AriaRole.Button, new() { NameRegex = English() })).First.ClickAsync();
        await page.WaitForLoadStateAsync();
        await session.ScreenshotAsync("after-switch");
        await page.Locator("html[lang^='en']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await session.StepAsync("english");

        // Another page, opened fresh: still English.
        await session.GotoAsync("/search");
        Assert.StartsWith("en", await page.GetAttributeAsync("html", "lang"));
        await session.StepAsync("english-search");
        Assert.Matches(HallFlow.IdNumberLabel(), await page.InnerTextAsync("main"));
        Assert.DoesNotContain("查档用途", await page.InnerTextAsync("main"));

        await page.GetByRole(AriaRole.Link, new() { NameRegex = Chinese() }).Or(page.GetByRole(AriaRole.Button, new() { NameRegex = Chinese() })).First.ClickAsync();
        await page.Locator("html[lang='zh-CN']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await session.GotoAsync("/search");
        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
    }

    [GeneratedRegex("^\\s*English\\s*$")]
    private static partial Regex English();

    [GeneratedRegex("^\\s*中文\\s*$")]
    private static partial Regex Chinese();
}

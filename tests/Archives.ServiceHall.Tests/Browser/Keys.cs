using Microsoft.Playwright;

namespace Archives.ServiceHall.Tests.Browser;

/// <summary>The keyboard alone: Tab to an element, then Enter or Space, as a clerk without a mouse does.</summary>
public static class Keys
{
    /// <summary>Presses Tab until <paramref name="target"/> has the focus; fails naming what had it after <paramref name="limit"/> presses.</summary>
    public static async Task TabToAsync(IPage page, ILocator target, int limit = 80)
    {
        await target.WaitForAsync();
        for (var presses = 0; presses <= limit; presses++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        var focused = await page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : 'nothing'");
        Assert.Fail($"{limit} presses of Tab never reached {target}; the focus is on {focused}");
    }

    /// <summary>Tabs to <paramref name="target"/> and presses <paramref name="key"/> (Enter for links and buttons, Space for checkboxes and radios).</summary>
    public static async Task ActivateAsync(IPage page, ILocator target, string key = "Enter")
    {
        await TabToAsync(page, target);
        await page.Keyboard.PressAsync(key);
    }

    /// <summary>Whether the focused element shows a focus indicator (an outline or a box shadow).</summary>
    public static async Task<bool> FocusIsVisibleAsync(IPage page) =>
        await page.EvaluateAsync<bool>("""
            () => {
              const e = document.activeElement;
              if (!e || e === document.body) return false;
              const s = getComputedStyle(e);
              return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
            }
            """);
}

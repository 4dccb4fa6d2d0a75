using System.Collections.Concurrent;
using Archives.ServiceHall.Tests.World;
using Archives.Testing;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Archives.ServiceHall.Tests.Browser;

/// <summary>
/// One clerk's browser for one test: a fresh context (no cookies) of the world's Chromium in Chinese
/// at a desk-sized viewport, every request URL and page title it sees kept (to check that no ID
/// number leaks into them), and the steps a test checks — a full-page screenshot under
/// <c>tests/TestResults/screenshots/</c> named by test and step, and axe-core with no serious or
/// critical violation.
/// </summary>
public sealed class HallSession : IAsyncDisposable
{
    private readonly HallWorld _world;
    private readonly Uri _hall;
    private readonly string _test;
    private readonly ConcurrentQueue<string> _urls = new();
    private readonly ConcurrentQueue<string> _titles = new();
    private int _step;

    private HallSession(HallWorld world, Uri hall, IBrowserContext context, IPage page, string test)
    {
        _world = world;
        _hall = hall;
        Context = context;
        Page = page;
        _test = test;
        context.Request += (_, request) => _urls.Enqueue(request.Url);
        page.FrameNavigated += (_, frame) =>
        {
            if (frame.ParentFrame is null)
            {
                _urls.Enqueue(frame.Url);
            }
        };
    }

    /// <summary>Where the screenshots go: <c>tests/TestResults/screenshots</c>, which CI keeps as artifacts.</summary>
    public static string ScreenshotDirectory { get; } =
        Path.Combine(IdentityServerFixture.RepositoryRoot, "tests", "TestResults", "screenshots");

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Every URL the browser requested or navigated to.</summary>
    public IReadOnlyCollection<string> Urls => _urls;

    /// <summary>Every title of a page checked with <see cref="StepAsync"/>.</summary>
    public IReadOnlyCollection<string> Titles => _titles;

    /// <summary>A new browser for the running test (named after it for the screenshots), at the world's hall or at <paramref name="hall"/>.</summary>
    public static async Task<HallSession> OpenAsync(HallWorld world, int width = 1280, int height = 900, Uri? hall = null)
    {
        HallWorld.RequireHall();
        var context = await world.Browser.NewContextAsync(new()
        {
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new() { Width = width, Height = height },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var test = TestContext.Current.TestMethod?.MethodName ?? "test";
        var type = TestContext.Current.TestClass?.TestClassSimpleName ?? "Tests";
        return new HallSession(world, hall ?? world.Hall, context, page, $"{type}.{test}");
    }

    /// <summary>Opens a path of the hall.</summary>
    public async Task GotoAsync(string path) => await Page.GotoAsync(new Uri(_hall, path).AbsoluteUri);

    /// <summary>
    /// Signs in as a demo clerk from wherever the page is: opens the hall (unless it is already on the
    /// identity server's sign-in page), fills the sign-in page's user name and password (by their ids,
    /// so in either language), submits, and waits until the browser is back at the hall.
    /// </summary>
    public async Task SignInAsync(string userName, bool keyboard = false)
    {
        if (!Page.Url.Contains("/account/signin", StringComparison.Ordinal))
        {
            await GotoAsync("/");
        }

        await Page.WaitForURLAsync(url => url.Contains("/account/signin", StringComparison.Ordinal));
        await StepAsync("signin");
        var password = _world.Identity.PasswordOf(userName);
        if (keyboard)
        {
            // The user name field has autofocus; Tab moves to the password, Enter submits.
            await Keys.TabToAsync(Page, Page.Locator("#UserName"));
            await Page.Keyboard.TypeAsync(userName);
            await Keys.TabToAsync(Page, Page.Locator("#Password"));
            await Page.Keyboard.TypeAsync(password);
            await Page.Keyboard.PressAsync("Enter");
        }
        else
        {
            await Page.Locator("#UserName").FillAsync(userName);
            await Page.Locator("#Password").FillAsync(password);
            await Page.Locator("form button[type=submit]").ClickAsync();
        }

        await WaitForHallAsync();
    }

    /// <summary>Waits until the browser shows a page of the hall (after the sign-in's redirects).</summary>
    public async Task WaitForHallAsync()
    {
        var hall = _hall.GetLeftPart(UriPartial.Authority);
        await Page.WaitForURLAsync(url => url.StartsWith(hall, StringComparison.Ordinal) && !url.Contains("/signin-oidc", StringComparison.Ordinal));
        await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>
    /// A checked step: the page's title kept, a full-page screenshot saved, and axe-core run (no
    /// serious or critical violation; the message lists each rule and its targets).
    /// </summary>
    public async Task StepAsync(string step, bool axe = true)
    {
        _titles.Enqueue(await Page.TitleAsync());
        await ScreenshotAsync(step);
        if (axe)
        {
            await AssertAccessibleAsync(step);
        }
    }

    /// <summary>A full-page PNG named by test, step number and step.</summary>
    public async Task<string> ScreenshotAsync(string step)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, $"{_test}-{Interlocked.Increment(ref _step):D2}-{step}.png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Runs axe-core on the page as it is; fails on any serious or critical violation.</summary>
    public async Task AssertAccessibleAsync(string step)
    {
        var result = await Page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0,
            $"axe-core found {bad.Count} serious or critical violation(s) on {Page.Url} ({step}):{Environment.NewLine}" +
            string.Join(Environment.NewLine, bad.Select(Describe)));
    }

    /// <summary>Fails if an ID number was in any URL the browser saw or in any page title checked.</summary>
    public void AssertNeverShown(string idNumber)
    {
        Assert.DoesNotContain(_urls, url => Uri.UnescapeDataString(url).Contains(idNumber, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(_titles, title => title.Contains(idNumber, StringComparison.OrdinalIgnoreCase));
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    private static string Describe(AxeResultItem violation) =>
        $"  {violation.Id} ({violation.Impact}): {violation.Help}{Environment.NewLine}" +
        string.Join(Environment.NewLine, violation.Nodes.Select(n => $"    {n.Target}  {n.Html}"));
}

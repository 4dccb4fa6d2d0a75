using System.Collections.Concurrent;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Archives.Gateway.Tests.OpenApi;

/// <summary>
/// <c>/docs</c> in a real browser (Debian's Chromium, headless) that may reach nothing but the gateway:
/// the reference renders the gateway's operations from its own scripts and document, as on an isolated
/// network.
/// </summary>
public sealed class DocsBrowserTests : IAsyncLifetime
{
    private GatewayHost _gateway = null!;

    public ValueTask InitializeAsync()
    {
        _gateway = GatewayHost.Start(nodes: []);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _gateway.DisposeAsync();

    [Fact]
    public async Task Docs_RenderTheOperations_WithNoRequestLeavingTheGateway()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            // --no-sandbox: the tests run as root.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        var page = await browser.NewPageAsync();
        var outside = new ConcurrentQueue<string>();
        var served = new ConcurrentQueue<string>();
        await page.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Host == _gateway.Address.Host && url.Port == _gateway.Address.Port)
            {
                served.Enqueue(url.AbsolutePath);
                await route.ContinueAsync();
            }
            else
            {
                outside.Enqueue(route.Request.Url);
                await route.AbortAsync();
            }
        });

        var console = new ConcurrentQueue<string>();
        page.Console += (_, message) => console.Enqueue(message.Text);
        page.PageError += (_, error) => console.Enqueue(error);

        await page.GotoAsync(new Uri(_gateway.Address, "/docs").AbsoluteUri);
        try
        {
            // The first group opens; the others are listed, collapsed.
            await page.GetByText("档案馆节点列表 · List the archive nodes").First.WaitForAsync(new() { Timeout = 60_000 });
            await page.GetByText("Certificates", new() { Exact = true }).First.WaitForAsync(new() { Timeout = 60_000 });
        }
        catch (TimeoutException e)
        {
            var text = await page.InnerTextAsync("body");
            throw new Xunit.Sdk.XunitException($"{e.Message}\nrequests: {string.Join(", ", served)}\nrefused: {string.Join(", ", outside)}\nconsole: {string.Join(" | ", console)}\npage: {text[..Math.Min(text.Length, 800)]}");
        }

        Assert.Contains("/openapi/v1.json", served);
        Assert.True(outside.IsEmpty, "The reference asked for: " + string.Join(", ", outside));
    }
}

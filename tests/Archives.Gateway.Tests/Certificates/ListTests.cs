using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Archives.Gateway.Tests.Audit;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>
/// <c>GET /api/v1/certificates</c>, the day list: the caller's own client's certificates, a clerk's own hall's only,
/// newest first, paged by an opaque stable cursor, each read registered; real clerk and client tokens.
/// </summary>
public sealed class ListTests
{
    private static string Today => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task List_ShowsOnlyTheCallersClientsCertificates_AClerkOnlyTheirHalls_NewestFirst()
    {
        await using var world = await OwnCertificateWorld.StartAsync();
        using var hangzhou = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var ningbo = world.Gateway.ClientFor(Callers.NingboClerk());
        using var zheliban = world.Gateway.ClientFor(Callers.Zheliban());
        var first = await IssueAsync(hangzhou);
        var second = await IssueAsync(hangzhou);
        var atNingbo = await IssueAtNingboAsync(ningbo);
        // The government app's request names the Hangzhou hall as its channel: still not the clerks' list.
        var online = await IssueAsync(zheliban);
        using (await hangzhou.GetAsync($"/api/v1/certificates/{second}/pdf", Ct))
        {
        }

        var (response, hangzhouList) = await hangzhou.GetJsonAsync("/api/v1/certificates");
        var (_, ningboList) = await ningbo.GetJsonAsync("/api/v1/certificates");
        var (_, appList) = await zheliban.GetJsonAsync("/api/v1/certificates");
        var (_, appAtNingbo) = await zheliban.GetJsonAsync("/api/v1/certificates?hall=330200");
        var (_, ownHallNamed) = await hangzhou.GetJsonAsync($"/api/v1/certificates?hall=330100&day={Today}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(Expected(first, second), Numbers(hangzhouList));
        Assert.Equal(Numbers(hangzhouList), Numbers(ownHallNamed));
        Assert.Equal([atNingbo], Numbers(ningboList));
        Assert.Equal([online], Numbers(appList));
        Assert.Empty(Numbers(appAtNingbo));
        Assert.Null(hangzhouList["nextCursor"]);
        var printed = hangzhouList["certificates"]!.AsArray().Single(c => (string)c!["certificate"]!["number"]! == second)!;
        Assert.Equal("valid", (string)printed["status"]!);
        Assert.Equal(1, (int)printed["printCount"]!);
        Assert.Equal("330100", (string)printed["certificate"]!["issuer"]!["channel"]!["hall"]!);
    }

    [Fact]
    public async Task List_AClerkNamingAnotherHall_Is403NamingHall()
    {
        await using var world = await OwnCertificateWorld.StartAsync();
        using var hangzhou = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var ningbo = world.Gateway.ClientFor(Callers.NingboClerk());
        await IssueAtNingboAsync(ningbo);

        var (response, problem) = await hangzhou.GetJsonAsync("/api/v1/certificates?hall=330200");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("hall", (string)problem["field"]!);
        Assert.DoesNotContain("330200-", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Pages_WithAStableCursor_NoRepeatsNoGaps_EvenWhileCertificatesAreIssued()
    {
        await using var world = await OwnCertificateWorld.StartAsync();
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var issued = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            issued.Add(await IssueAsync(clerk));
        }

        var (_, page1) = await clerk.GetJsonAsync("/api/v1/certificates?limit=2");
        var cursor = Uri.EscapeDataString((string)page1["nextCursor"]!);
        var (_, page2) = await clerk.GetJsonAsync($"/api/v1/certificates?limit=2&cursor={cursor}");
        var newer = await IssueAsync(clerk);
        var (_, page2Again) = await clerk.GetJsonAsync($"/api/v1/certificates?limit=2&cursor={cursor}");
        var (_, page3) = await clerk.GetJsonAsync($"/api/v1/certificates?limit=2&cursor={Uri.EscapeDataString((string)page2["nextCursor"]!)}");
        var (_, all) = await clerk.GetJsonAsync("/api/v1/certificates?limit=100");

        Assert.Equal(Numbers(page2), Numbers(page2Again));
        Assert.Null(page3["nextCursor"]);
        Assert.Equal(Expected([.. issued]), [.. Numbers(page1), .. Numbers(page2), .. Numbers(page3)]);
        Assert.Equal(Expected([.. issued, newer]), Numbers(all));
    }

    [Fact]
    public async Task List_OfAnotherDay_HasNotTodaysCertificates()
    {
        await using var world = await OwnCertificateWorld.StartAsync();
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var number = await IssueAsync(clerk);
        var yesterday = DateOnly.ParseExact(Today, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var (_, today) = await clerk.GetJsonAsync($"/api/v1/certificates?day={Today}");
        var (_, before) = await clerk.GetJsonAsync($"/api/v1/certificates?day={yesterday}");

        Assert.Equal([number], Numbers(today));
        Assert.Empty(Numbers(before));
    }

    [Theory]
    [InlineData("day=2026-13-01", "day")]
    [InlineData("day=07%2F12%2F2026", "day")]
    [InlineData("day=2026-12-07&day=2026-12-08", "day")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=eyJ2IjoxfQ", "cursor")]
    [InlineData("hall=33", "hall")]
    public async Task List_BadInput_Is400NamingTheField(string query, string field)
    {
        await using var world = await OwnCertificateWorld.StartAsync();
        using var app = world.Gateway.ClientFor(Callers.Zheliban());

        var (response, problem) = await app.GetJsonAsync($"/api/v1/certificates?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task List_ACursorOfAnotherDayOrHall_Is400()
    {
        await using var world = await OwnCertificateWorld.StartAsync();
        using var app = world.Gateway.ClientFor(Callers.Zheliban());
        await IssueAsync(app);
        await IssueAsync(app);
        var (_, page) = await app.GetJsonAsync("/api/v1/certificates?limit=1");
        var cursor = Uri.EscapeDataString((string)page["nextCursor"]!);

        var (otherDay, _) = await app.GetJsonAsync($"/api/v1/certificates?limit=1&day=2020-01-01&cursor={cursor}");
        var (otherHall, _) = await app.GetJsonAsync($"/api/v1/certificates?limit=1&hall=330100&cursor={cursor}");

        Assert.Equal(HttpStatusCode.BadRequest, otherDay.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherHall.StatusCode);
    }

    [Fact]
    public async Task List_WithoutToken_Is401_WithoutIssueOrReadScope_Is403()
    {
        await using var world = await OwnCertificateWorld.StartAsync();
        using var ops = world.Gateway.ClientFor(Callers.Operator());
        using var catalogueOnly = world.Gateway.ClientFor(Callers.Zheliban() with { Scopes = new HashSet<string> { "catalog.read" } });

        using var anonymous = await world.Gateway.Anonymous.GetAsync("/api/v1/certificates", Ct);
        using var auditor = await ops.GetAsync("/api/v1/certificates", Ct);
        using var unscoped = await catalogueOnly.GetAsync("/api/v1/certificates", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, auditor.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unscoped.StatusCode);
        Assert.Contains("certificates.read", unscoped.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_EveryRead_IsRegistered_WithTheClerkHallDayAndCount()
    {
        await using var world = await AuditWorld.StartAsync();
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());
        await IssueAsync(clerk);

        using (await clerk.GetAsync("/api/v1/certificates", Ct))
        {
        }

        using (await clerk.GetAsync("/api/v1/certificates?day=2020-01-01", Ct))
        {
        }

        var entries = (await world.EntriesAsync("?action=certificates.list")).Select(e => e!).ToList();

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(("service-hall", "330100", "王芳"), ((string?)e["clientId"], (string?)e["hall"], (string?)e["clerkName"])));
        Assert.Equal([$"2020-01-01/330100", $"{Today}/330100"], entries.Select(e => (string)e["reference"]!));
        Assert.Equal(["count=0", "count=1"], entries.Select(e => (string)e["outcome"]!));
    }

    private static List<string> Expected(params string[] issued) => [.. issued.AsEnumerable().Reverse()];

    private static List<string> Numbers(JsonNode list) => [.. list["certificates"]!.AsArray().Select(c => (string)c!["certificate"]!["number"]!)];

    /// <summary>Ningbo's clerk issues at the Ningbo hall (a clerk's channel is their own hall).</summary>
    private static async Task<string> IssueAtNingboAsync(HttpClient client) => await IssueAsync(client, CertificateWorld.ChenOneChild() with
    {
        IssuedVia = new Archives.Contracts.CertificateChannel { Kind = Archives.Contracts.IssuingChannelKind.Hall, Hall = Archives.Contracts.DivisionCode.Parse("330200"), Name = "宁波市民中心" },
    });

    private static async Task<string> IssueAsync(HttpClient client, Archives.Contracts.CertificateRequest? request = null)
    {
        using var response = await CertificateWorld.PostAsync(client, request ?? CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var number = (string)(await response.ReadJsonAsync())["certificate"]!["number"]!;
        // Certificates are issued to the second: one a second keeps "newest first" the order of issue.
        await Task.Delay(1100, Ct);
        return number;
    }
}

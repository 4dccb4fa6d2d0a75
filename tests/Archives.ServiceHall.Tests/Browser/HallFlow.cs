using System.Text.RegularExpressions;
using Archives.ServiceHall.Tests.World;
using Microsoft.Playwright;

namespace Archives.ServiceHall.Tests.Browser;

/// <summary>
/// The window flow's steps as a clerk does them in the hall's pages, by what a clerk sees (labels,
/// button texts) and the hall's stable hooks (<c>data-node-id</c>, <c>data-status</c>, <c>data-match</c>).
/// Every step is a checked step of the session (screenshot, axe).
/// </summary>
public static partial class HallFlow
{
    /// <summary>Statuses of an archive that has settled (answered or given up on).</summary>
    public static readonly string[] NotAnswering = ["error", "timeout", "unhealthy", "circuit-open"];

    /// <summary>An archive's section on the results page.</summary>
    public static ILocator Archive(IPage page, string nodeId) => page.Locator($"section[data-node-id='{nodeId}']");

    /// <summary>An archive's section once it has a settled status (any but pending).</summary>
    public static ILocator SettledArchive(IPage page, string nodeId) =>
        page.Locator($"section[data-node-id='{nodeId}']:not([data-status='pending'])");

    /// <summary>The search form, filled for <paramref name="citizen"/> (ID number; name and birth date too when <paramref name="withNameAndBirth"/>), not yet submitted.</summary>
    public static async Task FillSearchAsync(HallSession session, DemoCitizen citizen, bool withNameAndBirth = false)
    {
        var page = session.Page;
        await session.GotoAsync("/search");
        await page.GetByLabel(IdNumberLabel()).First.FillAsync(citizen.IdNumber);
        if (withNameAndBirth)
        {
            await page.GetByLabel(NameLabel()).First.FillAsync(citizen.Name);
            await page.GetByLabel(BirthDateLabel()).First.FillAsync(citizen.BirthDate);
        }

        if (await page.GetByLabel(PurposeLabel()).CountAsync() > 0)
        {
            await FillOrChooseAsync(page.GetByLabel(PurposeLabel()).First, "办理退休手续");
        }
    }

    /// <summary>Searches <paramref name="citizen"/> and waits for the results page (<c>/search/{id}</c>).</summary>
    public static async Task SearchAsync(HallSession session, DemoCitizen citizen, bool withNameAndBirth = false)
    {
        await FillSearchAsync(session, citizen, withNameAndBirth);
        await session.StepAsync("search-form");
        await session.Page.GetByRole(AriaRole.Button, new() { NameRegex = SearchButton() }).First.ClickAsync();
        // Committed, not loaded: the results page streams archive by archive, and loads only when the last has answered.
        await session.Page.WaitForURLAsync(SearchResultsUrl(), new() { WaitUntil = WaitUntilState.Commit });
    }

    /// <summary>Waits until the archive has a settled status and returns it.</summary>
    public static async Task<string> SettledStatusAsync(IPage page, string nodeId)
    {
        var section = SettledArchive(page, nodeId);
        await section.WaitForAsync();
        return (await section.GetAttributeAsync("data-status"))!;
    }

    /// <summary>The records an archive's section lists (elements with <c>data-match</c>).</summary>
    public static ILocator Records(IPage page, string nodeId) => Archive(page, nodeId).Locator("[data-match]");

    /// <summary>Fills a text field, or chooses the option with that text when it is a select.</summary>
    public static async Task FillOrChooseAsync(ILocator field, string value)
    {
        if (await field.EvaluateAsync<string>("e => e.tagName") == "SELECT")
        {
            await field.SelectOptionAsync(new SelectOptionValue { Label = value });
        }
        else
        {
            await field.FillAsync(value);
        }
    }

    /// <summary>Opens the issue page of the first record an archive lists for the search on the page (<c>/certificates/new?search=…&amp;record=…</c>).</summary>
    public static async Task OpenIssueFormAsync(HallSession session, string nodeId)
    {
        var link = Records(session.Page, nodeId).First.Locator("a[href*='/certificates/new']").First;
        await link.ClickAsync();
        await session.Page.WaitForURLAsync(url => url.Contains("/certificates/new", StringComparison.Ordinal));
    }

    /// <summary>Fills the issue form for the citizen themself (purpose, manner of use, relation), not yet submitted.</summary>
    public static Task FillIssueFormAsync(HallSession session) => FillIssueFormAsync(session.Page);

    /// <inheritdoc cref="FillIssueFormAsync(HallSession)"/>
    public static async Task FillIssueFormAsync(IPage page)
    {
        await FillOrChooseAsync(page.GetByLabel(PurposeLabel()).First, "办理退休手续");
        var manner = page.GetByLabel(MannerLabel());
        if (await manner.CountAsync() > 0 && await manner.First.EvaluateAsync<string>("e => e.type") is not ("radio" or "checkbox"))
        {
            await FillOrChooseAsync(manner.First, await FirstOptionAsync(manner.First));
        }
        else
        {
            await page.GetByRole(AriaRole.Group, new() { NameRegex = MannerLabel() }).GetByRole(AriaRole.Radio).First.CheckAsync();
        }

        await page.GetByRole(AriaRole.Radio, new() { NameRegex = SelfRelation() }).First.CheckAsync();
    }

    /// <summary>The issue form's submit button.</summary>
    public static ILocator IssueButton(IPage page) => page.Locator("form").GetByRole(AriaRole.Button, new() { NameRegex = IssueButtonText() }).Last;

    /// <summary>Issues the first record of an archive for the citizen themself and returns the certificate number the page shows.</summary>
    public static async Task<string> IssueAsync(HallSession session, string nodeId)
    {
        await OpenIssueFormAsync(session, nodeId);
        await FillIssueFormAsync(session);
        await session.StepAsync("issue-form");
        await IssueButton(session.Page).ClickAsync();
        return await CertificateNumberAsync(session);
    }

    /// <summary>Waits for the certificate page (<c>/certificates/{number}</c>) and returns its number.</summary>
    public static async Task<string> CertificateNumberAsync(HallSession session)
    {
        await session.Page.WaitForURLAsync(CertificateUrl());
        return Uri.UnescapeDataString(new Uri(session.Page.Url).AbsolutePath.Split('/')[^1]);
    }

    private static async Task<string> FirstOptionAsync(ILocator select) =>
        await select.EvaluateAsync<string>("s => [...s.options].find(o => o.value)?.label ?? ''");

    [GeneratedRegex("身份证|ID number", RegexOptions.IgnoreCase)]
    public static partial Regex IdNumberLabel();

    [GeneratedRegex("^\\s*(姓名|Name)", RegexOptions.IgnoreCase)]
    public static partial Regex NameLabel();

    [GeneratedRegex("^\\s*(出生日期|Birth date|Date of birth)", RegexOptions.IgnoreCase)]
    public static partial Regex BirthDateLabel();

    [GeneratedRegex("^\\s*(查档用途|Purpose)", RegexOptions.IgnoreCase)]
    public static partial Regex PurposeLabel();

    [GeneratedRegex("^\\s*(查询|搜索|Search)", RegexOptions.IgnoreCase)]
    public static partial Regex SearchButton();

    [GeneratedRegex("利用方式|Manner of use|Use", RegexOptions.IgnoreCase)]
    public static partial Regex MannerLabel();

    [GeneratedRegex("本人|themself|the citizen", RegexOptions.IgnoreCase)]
    public static partial Regex SelfRelation();

    [GeneratedRegex("出具|出证|Issue", RegexOptions.IgnoreCase)]
    public static partial Regex IssueButtonText();

    [GeneratedRegex("/search/[^/?#]+$")]
    public static partial Regex SearchResultsUrl();

    [GeneratedRegex("/certificates/(?!new)[^/?#]+$")]
    public static partial Regex CertificateUrl();
}

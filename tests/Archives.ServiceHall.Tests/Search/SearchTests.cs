using Archives.ServiceHall.Tests.Browser;
using Archives.ServiceHall.Tests.World;
using Microsoft.Playwright;

namespace Archives.ServiceHall.Tests.Search;

/// <summary>Searching a citizen: archive by archive as they answer, each with its status.</summary>
public sealed class SearchTests(HallWorld world)
{
    [Fact]
    public async Task Search_ADemoCitizen_ShowsRecordsOfAZhejiangAndAPartnerArchive()
    {
        var citizen = DemoCitizen.WangLihua;
        await using var session = await HallSession.OpenAsync(world);
        await session.SignInAsync("hz-clerk");

        await HallFlow.SearchAsync(session, citizen);

        // 王丽华: a school record in Hangzhou, marriage and one-child records in Shanghai, all exact.
        Assert.Equal("ok", await HallFlow.SettledStatusAsync(session.Page, "330100"));
        Assert.Equal("ok", await HallFlow.SettledStatusAsync(session.Page, "310000"));
        await HallFlow.Records(session.Page, "330100").First.WaitForAsync();
        await HallFlow.Records(session.Page, "310000").First.WaitForAsync();
        await session.StepAsync("results");

        Assert.Equal(1, await HallFlow.Records(session.Page, "330100").CountAsync());
        Assert.Equal(2, await HallFlow.Records(session.Page, "310000").CountAsync());
        Assert.Equal(3, await session.Page.Locator("section[data-node-id] [data-match='exact']").CountAsync());
        Assert.Contains(world.NodeName("310000"), await HallFlow.Archive(session.Page, "310000").InnerTextAsync());
        session.AssertNeverShown(citizen.IdNumber);
    }

    [Fact]
    public async Task Search_RecordsBeforeIdNumbers_AreProbableAndLookDifferent()
    {
        var citizen = DemoCitizen.ChenJianguo;
        await using var session = await HallSession.OpenAsync(world);
        await session.SignInAsync("hz-clerk");

        await HallFlow.SearchAsync(session, citizen, withNameAndBirth: true);

        Assert.Equal("ok", await HallFlow.SettledStatusAsync(session.Page, "330100"));
        var probable = session.Page.Locator("section[data-node-id='330100'] [data-match='probable']");
        var exact = session.Page.Locator("section[data-node-id='330100'] [data-match='exact']");
        await probable.First.WaitForAsync();
        await exact.First.WaitForAsync();
        await session.StepAsync("probable-and-exact");

        // 1972 educated-youth and 1980 marriage have no ID number: matched on name and birth date.
        Assert.Equal(2, await probable.CountAsync());
        Assert.NotEqual(await ClassOrStyleAsync(exact.First), await ClassOrStyleAsync(probable.First));
        session.AssertNeverShown(citizen.IdNumber);
    }

    [Fact]
    public async Task Search_WithAnArchiveStopped_ShowsItNotAnsweringBesideTheOthersResults()
    {
        var citizen = DemoCitizen.LiuZhiqiang;
        await world.StopNodeAsync(HallWorld.StoppableNode);
        await using var session = await HallSession.OpenAsync(world);
        await session.SignInAsync("hz-clerk");

        await HallFlow.SearchAsync(session, citizen, withNameAndBirth: true);

        var stopped = await HallFlow.SettledStatusAsync(session.Page, HallWorld.StoppableNode);
        Assert.Contains(stopped, HallFlow.NotAnswering);
        Assert.Equal("ok", await HallFlow.SettledStatusAsync(session.Page, "330100"));
        await HallFlow.Records(session.Page, "330100").First.WaitForAsync();
        await session.StepAsync("one-archive-not-answering");

        // "安徽省档案馆 未响应", not "no records".
        var section = await HallFlow.Archive(session.Page, HallWorld.StoppableNode).InnerTextAsync();
        Assert.Contains(world.NodeName(HallWorld.StoppableNode), section);
        Assert.Contains("未响应", section);
        Assert.Equal("probable", await HallFlow.Records(session.Page, "330100").First.GetAttributeAsync("data-match"));
        session.AssertNeverShown(citizen.IdNumber);
    }

    [Fact]
    public async Task Search_WithTheGatewayDown_SaysSoInPlainChineseAndThatNothingWasIssued()
    {
        var citizen = DemoCitizen.WangLihua;
        await using var session = await HallSession.OpenAsync(world, hall: world.HallCutOff);
        await session.SignInAsync("hz-clerk");

        await HallFlow.SearchAsync(session, citizen);

        var problem = session.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "无法连接档案共享平台" });
        await problem.WaitForAsync();
        await session.StepAsync("gateway-down");
        Assert.Contains("请稍后重试", await problem.InnerTextAsync());
        Assert.Equal(0, await session.Page.Locator("section[data-node-id]").CountAsync());
        session.AssertNeverShown(citizen.IdNumber);
    }

    [Fact]
    public async Task Search_AnIdNumberWithAWrongCheckCharacter_IsRefusedNamingTheField()
    {
        await using var session = await HallSession.OpenAsync(world);
        await session.SignInAsync("hz-clerk");
        await session.GotoAsync("/search");

        // 王丽华's number with the check character 0 instead of her real one.
        var wrong = DemoCitizen.WangLihua.IdNumber[..17] + (DemoCitizen.WangLihua.IdNumber[17] == '0' ? '1' : '0');
        var field = session.Page.GetByLabel(HallFlow.IdNumberLabel()).First;
        await field.FillAsync(wrong);
        await session.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { NameRegex = HallFlow.SearchButton() }).First.ClickAsync();

        // Refused before or by the server; either way an error naming the field, and what was typed kept.
        await session.Page.Locator("[aria-invalid='true']").First.WaitForAsync();
        await session.StepAsync("invalid-id-number");
        Assert.Equal(wrong, await field.InputValueAsync());
        Assert.Equal("true", await field.GetAttributeAsync("aria-invalid"));
        session.AssertNeverShown(wrong);
    }

    private static Task<string> ClassOrStyleAsync(Microsoft.Playwright.ILocator record) =>
        record.EvaluateAsync<string>("e => e.className + '|' + getComputedStyle(e).borderLeftColor + '|' + getComputedStyle(e).backgroundColor");
}

using Archives.Contracts;
using Archives.Gateway.Federation;
using Archives.Gateway.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;

namespace Archives.Gateway.Tests.Federation;

/// <summary>
/// The query string of a catalogue search read into a request: what it refuses, under which
/// parameter and with which message, and what it normalises. The registry is YARP's own state,
/// loaded from memory.
/// </summary>
public sealed class CatalogueSearchRequestTests : IAsyncDisposable
{
    private const string NotIssued = "'cursor' is not a cursor this gateway issued; pass nextCursor from the previous page unchanged.";

    private readonly WebApplication _proxy;

    private readonly NodeRegistry _registry;

    public CatalogueSearchRequestTests()
    {
        // Never started: the server is only there because a web application needs one to be built.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddLogging().AddRouting();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [],
            [.. new[] { "310000", "330100", "330200", "330300", "ZJ-Test" }.Select(id => new ClusterConfig
            {
                ClusterId = id,
                Destinations = new Dictionary<string, DestinationConfig> { ["primary"] = new() { Address = "http://127.0.0.1:9/" } },
            })]);
        _proxy = builder.Build();
        _proxy.MapReverseProxy(); // loads the configuration into YARP's state
        _registry = new NodeRegistry(_proxy.Services.GetRequiredService<IProxyStateLookup>(), NullLogger<NodeRegistry>.Instance);
    }

    public ValueTask DisposeAsync() => _proxy.DisposeAsync();

    [Fact]
    public void NoParameters_IsTheWholeCatalogue_FirstPageOfTheDefaultSize()
    {
        var request = Parsed("");

        var query = request.Query;
        Assert.Null(query.Q);
        Assert.Null(query.From);
        Assert.Null(query.To);
        Assert.Null(query.Category);
        Assert.Null(query.Region);
        Assert.Empty(query.Nodes);
        Assert.Equal(20, request.Limit);
        Assert.Null(request.Cursor);
        Assert.Null(request.RawCursor);
    }

    [Fact]
    public void EmptyParameters_AreAbsentOnes()
    {
        var request = Parsed("q=&from=&to=&category=&region=&nodes=&cursor=&limit=");

        Assert.Equal(Parsed("").Query.Fingerprint, request.Query.Fingerprint);
        Assert.Equal(20, request.Limit);
        Assert.Null(request.Cursor);
    }

    [Theory]
    [InlineData("%E6%A1%A3", "档")]
    [InlineData("a", "a")]
    [InlineData("%E7%9F%A5%E9%9D%92%20%E5%AE%89%E7%BD%AE", "知青 安置")]
    [InlineData("%20%20%E7%9F%A5%E9%9D%92%20%20%20%E5%AE%89%E7%BD%AE%20", "知青 安置")]
    [InlineData("%E7%9F%A5%E9%9D%92%09%0A%E5%AE%89%E7%BD%AE", "知青 安置")]
    [InlineData("%E7%9F%A5%E9%9D%92%E3%80%80%E5%AE%89%E7%BD%AE", "知青 安置")]
    [InlineData("marriage+registration", "marriage registration")]
    [InlineData("Jose%CC%81", "Jos\u00E9")]
    public void Q_IsTrimmedCollapsedAndNfc_AndPassedToNodesSo(string raw, string normalised)
    {
        var request = Parsed("q=" + raw);

        Assert.Equal(normalised, request.Query.Q);
        Assert.Equal(normalised, request.Query.ForNode(null, 5).Q);
    }

    [Fact]
    public void Q_OfOnlyWhiteSpace_IsNoKeyword()
        => Assert.Null(Parsed("q=%20%09%20").Query.Q);

    [Fact]
    public void Q_OneCharacter_IsAcceptedAsItIs()
    {
        // The reference node indexes single characters for exactly this query.
        var request = Parsed("q=%E6%A1%A3");

        Assert.Equal("档", request.Query.Q);
        Assert.Equal(1, request.Query.Q!.Length);
    }

    [Fact]
    public void Q_TwoTerms_StayTwoWordsInOrder()
    {
        var forward = Parsed("q=%E5%A9%9A%E5%A7%BB+%E7%99%BB%E8%AE%B0").Query;
        var backward = Parsed("q=%E7%99%BB%E8%AE%B0+%E5%A9%9A%E5%A7%BB").Query;

        Assert.Equal(["婚姻", "登记"], forward.Q!.Split(' '));
        Assert.NotEqual(forward.Fingerprint, backward.Fingerprint);
    }

    [Fact]
    public void Q_IsLimitedAfterNormalisation()
    {
        var longest = new string('档', 50) + "  \t " + new string('案', 49);

        Assert.Equal(100, Parsed("q=" + Uri.EscapeDataString(new string('档', 100))).Query.Q!.Length);
        Assert.Equal(100, Parsed("q=" + Uri.EscapeDataString(longest)).Query.Q!.Length);
        Assert.Equal(["'q' has at most 100 characters."], Refused("q=" + Uri.EscapeDataString(new string('档', 101)), "q"));
        Assert.Equal(["'q' has at most 100 characters."], Refused("q=" + Uri.EscapeDataString(new string('档', 50) + " " + new string('案', 50)), "q"));
    }

    [Theory]
    [InlineData("%00")]
    [InlineData("%00%01")]
    [InlineData("a%01b")]
    [InlineData("%E6%A1%A3%7F")]
    [InlineData("%E6%A1%A3%1B%5B31m")]
    public void Q_WithControlCharacters_IsRefused(string raw)
        => Assert.Equal(["'q' may not contain control characters."], Refused("q=" + raw, "q"));

    [Fact]
    public void Q_ThatIsNotUnicodeText_IsRefused()
    {
        // Kestrel never decodes a query to a lone surrogate; the parser must not throw if it is handed one.
        foreach (var q in new[] { "\uD800", "\uDC00\u6863", "\u6863\uD800" })
        {
            Assert.False(CatalogueSearchRequest.TryParse(new CatalogueSearchParameters { Q = q }, _registry, new FederationOptions(), out var request, out var errors));
            Assert.Null(request);
            Assert.Equal(["'q' is not valid Unicode text."], errors["q"]);
            Assert.Single(errors);
        }
    }

    [Theory]
    [InlineData("q=a&q=b", "q")]
    [InlineData("q=a&q=", "q")]
    [InlineData("from=1990&from=1991", "from")]
    [InlineData("to=1990&to=1990", "to")]
    [InlineData("category=documents&category=photographs", "category")]
    [InlineData("region=33&region=31", "region")]
    [InlineData("nodes=330100&nodes=330200", "nodes")]
    [InlineData("limit=5&limit=5", "limit")]
    [InlineData("cursor=a&cursor=b", "cursor")]
    public void AParameterGivenTwice_IsRefusedUnderItsName(string query, string name)
        => Assert.Equal([$"'{name}' may be given once."], Refused(query, name));

    [Theory]
    [InlineData("1000", 1000)]
    [InlineData("2100", 2100)]
    [InlineData("1985", 1985)]
    [InlineData("01985", 1985)]
    [InlineData("%201985%20", 1985)]
    public void Years_FromTheFirstToTheLastTheContractAllows_AreAccepted(string raw, int year)
    {
        Assert.Equal(year, Parsed("from=" + raw).Query.From);
        Assert.Equal(year, Parsed("to=" + raw).Query.To);
    }

    [Theory]
    [InlineData("999")]
    [InlineData("2101")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("%2B7")]
    [InlineData("19%2090")]
    [InlineData("1990.0")]
    [InlineData("1e3")]
    [InlineData("0x7D0")]
    [InlineData("year")]
    [InlineData("%EF%BC%91%EF%BC%99%EF%BC%99%EF%BC%90")]
    [InlineData("99999999999")]
    public void Years_ThatAreNotAYearTheContractAllows_AreRefusedUnderTheirName(string raw)
    {
        Assert.Equal(["'from' is a year from 1000 to 2100."], Refused("from=" + raw, "from"));
        Assert.Equal(["'to' is a year from 1000 to 2100."], Refused("to=" + raw, "to"));
    }

    [Fact]
    public void From_AfterTo_IsRefusedUnderFrom_TheSameYearIsOneYear()
    {
        Assert.Equal(["'from' is after 'to'."], Refused("from=2000&to=1999", "from"));
        var oneYear = Parsed("from=1999&to=1999").Query;
        Assert.Equal((1999, 1999), (oneYear.From, oneYear.To));
    }

    [Theory]
    [InlineData("documents")]
    [InlineData("Documents")]
    [InlineData("%20DOCUMENTS%20")]
    public void Category_IsACodeOfTheOpenCatalogue_InAnyCase(string raw)
        => Assert.Same(CatalogueCategory.Documents, Parsed("category=" + raw).Query.Category);

    [Theory]
    [InlineData("poetry")]
    [InlineData("marriage")]
    [InlineData("%E6%96%87%E4%B9%A6%E6%A1%A3%E6%A1%88")]
    public void Category_Unknown_IsRefusedNamingTheKnownOnes(string raw)
        => Assert.Equal(["Unknown catalogue category; known: documents, technical, accounting, photographs, audiovisual, specialised."], Refused("category=" + raw, "category"));

    [Theory]
    [InlineData("33")]
    [InlineData("3301")]
    [InlineData("330106")]
    [InlineData("31")]
    public void Region_IsAPrefixOfTwoFourOrSixDigits(string raw)
        => Assert.Equal(raw, Parsed("region=" + raw).Query.Region!.Value);

    [Theory]
    [InlineData("3", "A region is a division-code prefix of 2, 4 or 6 digits (33, 3301, 330106).")]
    [InlineData("330", "A region is a division-code prefix of 2, 4 or 6 digits (33, 3301, 330106).")]
    [InlineData("33a1", "A region is a division-code prefix of 2, 4 or 6 digits (33, 3301, 330106).")]
    [InlineData("3301061", "A region is a division-code prefix of 2, 4 or 6 digits (33, 3301, 330106).")]
    [InlineData("990000", "A region starts with a province-level code (11–82).")]
    [InlineData("00", "A region starts with a province-level code (11–82).")]
    public void Region_NotAPrefixOfADivisionCode_IsRefused(string raw, string message)
        => Assert.Equal([message], Refused("region=" + raw, "region"));

    [Fact]
    public void Nodes_AreTrimmedSortedAndDistinct()
        => Assert.Equal(["330100", "330200"], Parsed("nodes=%20330200%20,330100,,330200,").Query.Nodes);

    [Fact]
    public void Nodes_AreTheRegistrysIds_WhateverCaseTheyAreNamedIn()
    {
        // The registry (YARP) finds node ids in any case, as the pass-through and /api/v1/nodes do; the
        // selection and the fingerprint must use the id the registry holds, or the node is found and then
        // never asked.
        var named = Parsed("nodes=zj-test,330100").Query;

        Assert.Equal(["330100", "ZJ-Test"], named.Nodes);
        Assert.Equal(Parsed("nodes=ZJ-Test,330100").Query.Fingerprint, named.Fingerprint);
        Assert.Equal(["330100", "ZJ-Test"], named.Select(_registry).Nodes.Select(n => n.NodeId));
    }

    [Fact]
    public void Nodes_OfOnlyCommas_IsNoFilter()
        => Assert.Empty(Parsed("nodes=,,,").Query.Nodes);

    [Fact]
    public void Nodes_Unknown_AreRefusedNamingThem_FiveAtMost_LongOnesCut()
    {
        Assert.Equal(["Unknown node ids: 999999."], Refused("nodes=330100,999999", "nodes"));
        Assert.Equal(["Unknown node ids: 1, 2, 3, 4, 5."], Refused("nodes=1,2,3,4,5,6", "nodes"));
        Assert.Equal(["Unknown node ids: 3301003301003301…."], Refused("nodes=" + string.Concat(Enumerable.Repeat("330100", 20)), "nodes"));
    }

    [Fact]
    public void Nodes_MoreThanARequestMayName_AreRefusedBeforeAnyIsLookedUp()
    {
        var options = new FederationOptions { MaxNodesPerRequest = 3 };

        Assert.Equal(["330100", "330200", "330300"], Parsed("nodes=330100,330200,330300", options).Query.Nodes);
        Assert.Equal(["'nodes' names at most 3 nodes."], Refused("nodes=330100,330200,330300,unknown", "nodes", options));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("100", 100)]
    [InlineData("007", 7)]
    [InlineData("%2020%20", 20)]
    public void Limit_FromOneToTheMaximum_IsThePageSize(string raw, int limit)
        => Assert.Equal(limit, Parsed("limit=" + raw).Limit);

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("%2B5")]
    [InlineData("ten")]
    [InlineData("1.5")]
    [InlineData("0x10")]
    [InlineData("99999999999999999999")]
    public void Limit_OutsideOneToTheMaximum_IsRefused(string raw)
        => Assert.Equal(["'limit' is from 1 to 100."], Refused("limit=" + raw, "limit"));

    [Fact]
    public void Limit_FollowsTheConfiguredBounds()
    {
        var options = new FederationOptions { DefaultLimit = 7, MaxLimit = 50 };

        Assert.Equal(7, Parsed("", options).Limit);
        Assert.Equal(50, Parsed("limit=50", options).Limit);
        Assert.Equal(["'limit' is from 1 to 50."], Refused("limit=51", "limit", options));
    }

    [Fact]
    public void Cursor_OfTheSameNormalisedQuery_ContinuesIt_WhateverTheSpellingOrPageSize()
    {
        var first = Parsed("q=%E7%9F%A5%E9%9D%92+%E5%AE%89%E7%BD%AE&from=1960&to=1980&category=documents&region=33&nodes=330200,330100&limit=5");
        var positions = new Dictionary<string, NodePosition> { ["330100"] = new("c", 2, 7, false), ["330200"] = new(null, 0, 0, true) };
        var cursor = new CatalogueCursor(positions).Encode(first.Query.Fingerprint);

        var next = Parsed($"q=%20%E7%9F%A5%E9%9D%92%20%20%E5%AE%89%E7%BD%AE&from=1960&to=01980&category=Documents&region=33&nodes=330100,%20330200&limit=9&cursor={cursor}");

        Assert.Equal(cursor, next.RawCursor);
        Assert.Equal(9, next.Limit);
        Assert.Equal(new NodePosition("c", 2, 7, false), next.Cursor!.PositionOf("330100"));
        Assert.True(next.Cursor.PositionOf("330200").Exhausted);
    }

    [Theory]
    [InlineData("q=%E7%9F%A5%E9%9D%92")]
    [InlineData("q=%E7%9F%A5%E9%9D%92+%E5%AE%89%E7%BD%AE&from=1960")]
    [InlineData("q=%E7%9F%A5%E9%9D%92+%E5%AE%89%E7%BD%AE&to=1980")]
    [InlineData("q=%E7%9F%A5%E9%9D%92+%E5%AE%89%E7%BD%AE&category=photographs")]
    [InlineData("q=%E7%9F%A5%E9%9D%92+%E5%AE%89%E7%BD%AE&region=3301")]
    [InlineData("q=%E7%9F%A5%E9%9D%92+%E5%AE%89%E7%BD%AE&nodes=330100")]
    [InlineData("q=%E5%AE%89%E7%BD%AE+%E7%9F%A5%E9%9D%92")]
    public void Cursor_OfAnotherQuery_IsRefusedUnderCursor(string other)
    {
        var cursor = new CatalogueCursor(new Dictionary<string, NodePosition> { ["330100"] = new("c", 2, 7, false) })
            .Encode(Parsed("q=%E7%9F%A5%E9%9D%92+%E5%AE%89%E7%BD%AE").Query.Fingerprint);

        Assert.Equal(["'cursor' belongs to another query: a cursor continues only the query that returned it."], Refused($"{other}&cursor={cursor}", "cursor"));
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("W10")]
    [InlineData("bnVsbA")]
    [InlineData("eyJ2IjoxfQ")]
    [InlineData("%FF%FE")]
    public void Cursor_NotIssuedByTheGateway_IsRefusedUnderCursor(string raw)
        => Assert.Equal([NotIssued], Refused("cursor=" + raw, "cursor"));

    [Fact]
    public void Cursor_LongerThanConfigured_IsRefusedNamingTheLimit()
    {
        var options = new FederationOptions { MaxCursorLength = 256 };

        Assert.Equal(["'cursor' has at most 256 characters."], Refused("cursor=" + new string('A', 257), "cursor", options));
        Assert.Equal([NotIssued], Refused("cursor=" + new string('A', 256), "cursor", options));
    }

    [Fact]
    public void EveryBadParameter_IsReportedUnderItsOwnName_AtOnce()
    {
        Assert.False(Parse("q=%00&from=x&to=y&category=z&region=3&nodes=999999&limit=0&cursor=garbage", new FederationOptions(), out var request, out var errors));

        Assert.Null(request);
        Assert.Equal(["category", "cursor", "from", "limit", "nodes", "q", "region", "to"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(errors.Values, messages => Assert.Single(messages));
    }

    [Fact]
    public void Fingerprint_IsTheSameForTheSameNormalisedQuery_AndIgnoresPageSizeAndCursor()
    {
        var a = Parsed("q=%E5%A9%9A%E5%A7%BB+%E7%99%BB%E8%AE%B0&from=1950&category=documents&nodes=330200,330100&limit=5").Query;
        var b = Parsed("q=%20%E5%A9%9A%E5%A7%BB%09%E7%99%BB%E8%AE%B0&from=01950&category=DOCUMENTS&nodes=330100,330200,330100&limit=50").Query;

        Assert.Equal(a.Normalised, b.Normalised);
        Assert.Equal(a.Fingerprint, b.Fingerprint);
    }

    [Theory]
    [InlineData("q=%E5%A9%9A%E5%A7%BB", "q=%E7%99%BB%E8%AE%B0")]
    [InlineData("from=1950", "from=1951")]
    [InlineData("to=1950", "to=1951")]
    [InlineData("category=documents", "category=photographs")]
    [InlineData("region=33", "region=3301")]
    [InlineData("nodes=330100", "nodes=330100,330200")]
    public void Fingerprint_ChangesWithEveryPartOfTheQuery(string part, string otherValue)
    {
        var fingerprints = new[] { "", part, otherValue }.Select(q => Parsed(q).Query.Fingerprint).ToList();

        Assert.Equal(3, fingerprints.Distinct().Count());
    }

    [Fact]
    public void Fingerprint_TellsTheYearsApart()
        => Assert.NotEqual(Parsed("from=1950").Query.Fingerprint, Parsed("to=1950").Query.Fingerprint);

    private CatalogueSearchRequest Parsed(string query, FederationOptions? options = null)
    {
        Assert.True(Parse(query, options ?? new FederationOptions(), out var request, out var errors), string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        Assert.Empty(errors);
        return request;
    }

    /// <summary>The messages under <paramref name="name"/>, asserting that the query was refused for that parameter alone.</summary>
    private string[] Refused(string query, string name, FederationOptions? options = null)
    {
        Assert.False(Parse(query, options ?? new FederationOptions(), out var request, out var errors));
        Assert.Null(request);
        Assert.Equal([name], errors.Keys);
        return errors[name];
    }

    private bool Parse(string query, FederationOptions options, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CatalogueSearchRequest? request, out Dictionary<string, string[]> errors)
        => CatalogueSearchRequest.TryParse(Bound(query), _registry, options, out request, out errors);

    /// <summary>The query string as the endpoints bind it: by the framework, into the <c>[AsParameters]</c> type.</summary>
    private static CatalogueSearchParameters Bound(string query)
    {
        CatalogueSearchParameters? bound = null;
        var binder = RequestDelegateFactory.Create(([AsParameters] CatalogueSearchParameters parameters) => bound = parameters);
        var context = new DefaultHttpContext { Request = { QueryString = query.Length == 0 ? QueryString.Empty : new QueryString("?" + query) } };
        binder.RequestDelegate(context).GetAwaiter().GetResult();
        return bound ?? throw new InvalidOperationException("The framework bound nothing.");
    }
}

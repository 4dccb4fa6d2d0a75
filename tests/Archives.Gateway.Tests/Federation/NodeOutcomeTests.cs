using System.Diagnostics;
using System.Net;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archives.Gateway.Tests.Federation;

/// <summary>Every federated answer reports each node's outcome; faults cost at most the deadline.</summary>
public sealed class NodeOutcomeTests
{
    private const string Q = "%E6%A1%A3%E6%A1%88"; // 档案

    [Theory]
    [InlineData(NodeFault.Hang, "timeout")]
    [InlineData(NodeFault.Drip, "timeout")]
    [InlineData(NodeFault.ServerError, "error")]
    [InlineData(NodeFault.MalformedJson, "error")]
    [InlineData(NodeFault.EndlessBody, "error")]
    public async Task FaultyNode_IsReportedAndTheOthersStillAnswer_WithinTheDeadline(NodeFault fault, string status)
    {
        await using var good = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var bad = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 3));
        bad.Fault = fault;
        await using var gateway = GatewayHost.Start([good, bad], new Dictionary<string, string?> { ["Gateway:Federation:Deadline"] = "00:00:02" });

        var clock = Stopwatch.StartNew();
        var (response, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}");
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.Status("330100"));
        Assert.Equal(status, body.Status("330200"));
        Assert.True((bool)body["partial"]!);
        Assert.Equal(3, CatalogueSearchTests.Ids(body).Count);
        // Deadline 2 s; the bound is generous because test machines are shared.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task TransientFailure_OfACatalogueSearch_IsRetriedOnce_AndTheNodeAnswers()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        node.FailNext(1);
        await using var gateway = GatewayHost.Start([node]);

        var (_, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}");

        // A search is a GET: the node's 503 is retried after the configured 200 ms, not after the hour its
        // Retry-After asks for (the search would end at its deadline as "timeout"), and its answer used.
        Assert.Equal("ok", body.Status("330100"));
        Assert.False((bool)body["partial"]!);
        Assert.Equal(3, CatalogueSearchTests.Ids(body).Count);
        Assert.Equal(2, node.RequestsTo("/node/v1/catalog/search"));
    }

    [Fact]
    public async Task Redirect_FromANode_IsNotFollowed_AndIsAnError()
    {
        await using var node = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        node.Fault = NodeFault.Redirect;
        await using var gateway = GatewayHost.Start([node]);

        var (_, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}");

        // The node contract has no redirects, and a node must not send the gateway's calls (with its token) elsewhere.
        Assert.Equal("error", body.Status("330100"));
        Assert.Equal(0, node.RequestsTo("/test/echo/redirected"));
    }

    [Fact]
    public async Task EndlessBody_IsCutAtTheResponseSizeCap_NotReadToTheEnd()
    {
        await using var bad = await TestNode.StartAsync("330200");
        bad.Fault = NodeFault.EndlessBody;
        await using var gateway = GatewayHost.Start([bad], new Dictionary<string, string?>
        {
            ["Gateway:Federation:Deadline"] = "00:00:30",
            ["Gateway:NodeClient:MaxResponseBytes"] = "1048576",
        });
        var before = GC.GetTotalAllocatedBytes();

        var (_, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}");

        // "error" (the cap), not "timeout" (reading on until the deadline); the node would send 6 GiB.
        Assert.Equal("error", body.Status("330200"));
        Assert.True(GC.GetTotalAllocatedBytes() - before < 512L * 1024 * 1024);
    }

    [Fact]
    public async Task UnhealthyNode_IsNotAskedAndIsReportedUnhealthy()
    {
        await using var good = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var down = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 3));
        down.Ready = false;
        await using var gateway = GatewayHost.Start(
        [
            new RegistryEntry(good),
            new RegistryEntry(down) { ActiveHealthInterval = TimeSpan.FromMilliseconds(300) },
        ]);
        await Eventually.TrueAsync(async () => (string)(await gateway.Client.GetJsonAsync("/api/v1/nodes")).Body["nodes"]![1]!["health"]! == "unhealthy");

        var (_, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}");

        Assert.Equal("unhealthy", body.Status("330200"));
        Assert.Equal("ok", body.Status("330100"));
        Assert.True((bool)body["partial"]!);
        Assert.Equal(0, down.RequestsTo("/node/v1/catalog/search"));
    }

    [Fact]
    public async Task RepeatedFailures_OpenTheNodesCircuit_OnlyForThatNode_AndItRecoversAfterTheBreak()
    {
        await using var good = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var bad = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 3));
        bad.Fault = NodeFault.ServerError;
        await using var gateway = GatewayHost.Start([good, bad], new Dictionary<string, string?>
        {
            ["Gateway:NodeClient:Resilience:CircuitBreaker:MinimumThroughput"] = "2",
            ["Gateway:NodeClient:Resilience:CircuitBreaker:FailureRatio"] = "0.5",
            ["Gateway:NodeClient:Resilience:CircuitBreaker:BreakDuration"] = "00:00:01",
            ["Gateway:Cache:PartialCatalogueDuration"] = "00:00:00.1",
        });

        string? status = null;
        for (var i = 0; i < 10 && status != "circuit-open"; i++)
        {
            var (_, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q=open{i}");
            status = body.Status("330200");
            Assert.Equal("ok", body.Status("330100"));
        }

        Assert.Equal("circuit-open", status);
        var callsWhileOpen = bad.RequestsTo("/node/v1/catalog/search");
        var (_, open) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q=still-open");
        Assert.Equal("circuit-open", open.Status("330200"));
        Assert.Equal(callsWhileOpen, bad.RequestsTo("/node/v1/catalog/search"));

        bad.Fault = NodeFault.None;
        var recovered = false;
        for (var i = 0; i < 30 && !recovered; i++)
        {
            await Task.Delay(500, Ct);
            var (_, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}&limit={i + 1}");
            recovered = body.Status("330200") == "ok";
        }

        Assert.True(recovered);
    }

    [Fact]
    public async Task HangingNode_OpensItsCircuit_SoLaterSearchesDoNotWaitForIt()
    {
        await using var good = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var hanging = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 3));
        hanging.Fault = NodeFault.Hang;
        await using var gateway = GatewayHost.Start([good, hanging], new Dictionary<string, string?>
        {
            ["Gateway:Federation:Deadline"] = "00:00:02",
            ["Gateway:NodeClient:Resilience:AttemptTimeout:Timeout"] = "00:00:01",
            ["Gateway:NodeClient:Resilience:CircuitBreaker:MinimumThroughput"] = "3",
            ["Gateway:NodeClient:Resilience:CircuitBreaker:BreakDuration"] = "00:01:00",
        });

        var statuses = new List<string>();
        for (var i = 0; i < 8 && statuses.LastOrDefault() != "circuit-open"; i++)
        {
            statuses.Add((await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q=hang{i}")).Body.Status("330200"));
        }

        // Timed-out attempts are failures: after a few, the archive's circuit opens and later
        // searches no longer spend their deadline waiting for it.
        Assert.Equal("circuit-open", statuses[^1]);
        Assert.All(statuses[..^1], s => Assert.Equal("timeout", s));
    }

    [Fact]
    public async Task HangingNode_IsLoggedOncePerSearchByTheFanOut_NotWithAStackTracePerAttempt_AndItsCircuitOpeningIsAnError()
    {
        await using var good = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var hanging = await TestNode.StartAsync("330200", Catalogue.Entries("330200", 3));
        hanging.Fault = NodeFault.Hang;
        var log = new LogCapture();
        await using var gateway = GatewayHost.Start([good, hanging], new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Polly"] = "Debug",
            ["Logging:LogLevel:Archives.Gateway.Federation"] = "Information",
            ["Gateway:Federation:Deadline"] = "00:00:02",
            ["Gateway:NodeClient:Resilience:AttemptTimeout:Timeout"] = "00:00:00.5",
            ["Gateway:NodeClient:Resilience:CircuitBreaker:MinimumThroughput"] = "3",
            ["Gateway:NodeClient:Resilience:CircuitBreaker:BreakDuration"] = "00:01:00",
        }, services: s => s.AddSingleton<ILoggerProvider>(log));

        var statuses = new List<string>();
        for (var i = 0; i < 8 && statuses.LastOrDefault() != "circuit-open"; i++)
        {
            statuses.Add((await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q=hang{i}")).Body.Status("330200"));
        }

        Assert.Equal("circuit-open", statuses[^1]);
        var polly = log.Lines.Where(l => l.Category == "Polly").ToList();
        // The attempts' timeouts are still reported, for whoever turns Polly's logging up to Debug ...
        Assert.Contains(polly, l => l.Level == LogLevel.Debug && l.Text.Contains("OnTimeout", StringComparison.Ordinal));
        Assert.Contains(polly, l => l.Level == LogLevel.Debug && l.Text.Contains("Execution attempt", StringComparison.Ordinal));
        // ... the circuit opening is the one warning-or-worse entry, at the library's own severity ...
        Assert.Equal(["OnCircuitOpened"], polly.Where(l => l.Level >= LogLevel.Warning).Select(l => l.Text.Contains("OnCircuitOpened", StringComparison.Ordinal) ? "OnCircuitOpened" : l.Text));
        Assert.Equal(LogLevel.Error, polly.Single(l => l.Text.Contains("OnCircuitOpened", StringComparison.Ordinal)).Level);
        // ... and the fan-out says once per search how the node fared.
        var fanOut = log.Lines.Where(l => l.Category.EndsWith(".NodeFanOut", StringComparison.Ordinal) && l.Text.Contains("330200", StringComparison.Ordinal)).ToList();
        Assert.Equal(statuses.Count, fanOut.Count);
        Assert.All(fanOut, l => Assert.DoesNotContain("   at ", l.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplicaWithOpenCircuit_IsSkippedForAHealthyReplicaOfTheSameNode()
    {
        await using var failing = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        await using var healthy = await TestNode.StartAsync("330100", Catalogue.Entries("330100", 3));
        failing.Fault = NodeFault.ServerError;
        await using var gateway = GatewayHost.Start([new RegistryEntry(failing, [failing.BaseAddress, healthy.BaseAddress])], new Dictionary<string, string?>
        {
            ["Gateway:NodeClient:Resilience:CircuitBreaker:MinimumThroughput"] = "2",
            ["Gateway:NodeClient:Resilience:CircuitBreaker:BreakDuration"] = "00:00:30",
        });

        var statuses = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            statuses.Add((await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q=replica{i}")).Body.Status("330100"));
        }

        // Once the failing replica's circuit is open, every search goes to the healthy one.
        Assert.All(statuses.TakeLast(5), s => Assert.Equal("ok", s));
        Assert.True(healthy.RequestsTo("/node/v1/catalog/search") > 0);
    }

    [Fact]
    public async Task Drip_DoesNotHoldTheSearchPastTheDeadline_EvenWithALongerAttemptTimeout()
    {
        await using var drip = await TestNode.StartAsync("330200");
        drip.Fault = NodeFault.Drip;
        await using var gateway = GatewayHost.Start([drip], new Dictionary<string, string?>
        {
            ["Gateway:Federation:Deadline"] = "00:00:01.5",
            ["Gateway:NodeClient:Resilience:AttemptTimeout:Timeout"] = "00:00:10",
        });

        var clock = Stopwatch.StartNew();
        var (_, body) = await gateway.Client.GetJsonAsync($"/api/v1/catalog/search?q={Q}");

        Assert.Equal("timeout", body.Status("330200"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(9), $"took {clock.Elapsed}");
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Archives.Gateway.Tests.Fixtures;
using Archives.Testing;

namespace Archives.Gateway.Tests.Proxy;

public sealed class NodeProxyTests
{
    [Fact]
    public async Task Proxy_ForwardsToTheNodeWithTheNodePrefixRemoved()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        var (response, echo) = await gateway.Client.GetJsonAsync("/nodes/330100/test/echo/a/b?x=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/test/echo/a/b", (string)echo["path"]!);
        Assert.Equal("?x=1", (string)echo["query"]!);
    }

    [Fact]
    public async Task Proxy_SetsForwardedHeadersItselfAndDropsClientForwardedHeadersAndCredentials()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/nodes/330100/test/echo/x");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/evil");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Real-IP", "6.6.6.6");
        var callerToken = await Identity.GetTokenAsync("zheliban", ["catalog.read"], Ct);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + callerToken);
        request.Headers.TryAddWithoutValidation("Cookie", "session=client");
        request.Headers.TryAddWithoutValidation("X-Custom", "kept");

        var response = await gateway.Client.SendAsync(request, Ct);
        var headers = (await response.ReadJsonAsync())["headers"]!;

        Assert.Equal("127.0.0.1", (string)headers["X-Forwarded-For"]!);
        Assert.Equal(gateway.Address.Authority, (string)headers["X-Forwarded-Host"]!);
        Assert.Equal("http", (string)headers["X-Forwarded-Proto"]!);
        Assert.Equal("/nodes/330100", (string)headers["X-Forwarded-Prefix"]!);
        Assert.Equal("kept", (string)headers["X-Custom"]!);
        foreach (var dropped in new[] { "Forwarded", "X-Real-IP", "Cookie" })
        {
            Assert.Null(headers[dropped]);
        }

        // The caller's token is replaced by the gateway's own.
        Assert.DoesNotContain(callerToken, (string)headers["Authorization"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_DropsSetCookieAndPoweredByFromNodeResponses()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        var response = await gateway.Client.GetAsync("/nodes/330100/test/set-cookie", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
    }

    [Fact]
    public async Task Proxy_StreamsTheResponse_FirstChunkArrivesBeforeTheNodeFinishes()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        using var response = await gateway.Client.GetAsync("/nodes/330100/test/stream", HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        using var reader = new StreamReader(body);
        var first = await reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(15), Ct);
        node.ReleaseStream.SetResult();
        var second = await reader.ReadLineAsync(Ct);

        Assert.Equal("first", first);
        Assert.Equal("second", second);
    }

    [Fact]
    public async Task Proxy_StreamsTheRequestBody_NodeReadsBeforeTheClientFinishesSending()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);
        var content = new GatedContent(node.UploadStarted.Task);

        var response = await gateway.Client.PostAsync("/nodes/330100/test/upload", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2 * 64 * 1024, (long)(await response.ReadJsonAsync())["bytes"]!);
        Assert.True(content.SecondHalfSentAfterNodeStartedReading);
    }

    [Theory]
    [InlineData("/nodes/330100/../330200/test/echo/x")]
    [InlineData("/nodes/330100/%2e%2e/330200/test/echo/x")]
    [InlineData("/nodes/330100/%2E%2E/%2E%2E/api/v1/nodes")]
    [InlineData("/nodes/330100/test%2f..%2f..%2f330200")]
    [InlineData("/nodes/330100/test%5c..%5c330200")]
    [InlineData("/nodes/330100/%252e%252e/330200/test/echo/x")]
    [InlineData("/nodes/330100/./test/echo/x")]
    [InlineData("/nodes/330100\\..\\330200/test/echo/x")]
    [InlineData("/nodes/330100//test/echo/x")]
    [InlineData("/nodes/330100/test//echo/x")]
    public async Task Proxy_PathThatTriesToLeaveItsNode_Is400AndReachesNoNode(string target)
    {
        await using var hangzhou = await TestNode.StartAsync("330100");
        await using var ningbo = await TestNode.StartAsync("330200");
        await using var gateway = GatewayHost.Start([hangzhou, ningbo]);

        var (status, body) = await RawGetAsync(gateway.Address, target);

        Assert.Equal(400, status);
        Assert.Contains("application/problem+json", body, StringComparison.Ordinal);
        Assert.Equal(0, ningbo.RequestsTo("/test/echo/x"));
        Assert.Equal(0, hangzhou.RequestsTo("/test/echo/x"));
    }

    [Theory]
    [InlineData("/nodes/330100/node/v1/records/search")]
    [InlineData("/nodes/330100/NODE/v1/Records/r-1")]
    [InlineData("/nodes/330100/node/v1/records")]
    public async Task Proxy_PersonalRecordsOfANode_Are403AndReachNoNode(string path)
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        var response = await gateway.Client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, node.RequestsTo(path["/nodes/330100".Length..]));
    }

    [Fact]
    public async Task Proxy_UnknownNode_Is404Problem()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);

        var response = await gateway.Client.GetAsync("/nodes/339999/test/echo/x", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Proxy_BalancesAcrossReplicas()
    {
        await using var primary = await TestNode.StartAsync("330100");
        await using var replica = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([new RegistryEntry(primary, [primary.BaseAddress, replica.BaseAddress])]);

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/nodes/330100/test/echo/x", Ct)).StatusCode);
        }

        Assert.True(primary.RequestsTo("/test/echo/x") > 0);
        Assert.True(replica.RequestsTo("/test/echo/x") > 0);
    }

    [Fact]
    public async Task Proxy_ReplicaFailingActiveHealthChecks_GetsNoTraffic()
    {
        await using var primary = await TestNode.StartAsync("330100");
        await using var replica = await TestNode.StartAsync("330100");
        replica.Ready = false;
        await using var gateway = GatewayHost.Start([new RegistryEntry(primary, [primary.BaseAddress, replica.BaseAddress]) { ActiveHealthInterval = TimeSpan.FromMilliseconds(300) }]);

        await Eventually.TrueAsync(async () => (string)(await gateway.Client.GetJsonAsync("/api/v1/nodes")).Body["nodes"]![0]!["health"]! == "degraded");
        var before = replica.RequestsTo("/test/echo/x");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/nodes/330100/test/echo/x", Ct)).StatusCode);
        }

        Assert.Equal(before, replica.RequestsTo("/test/echo/x"));
    }

    [Fact]
    public async Task Proxy_ReplicaWithTransportFailures_IsTakenOutByPassiveHealthChecks()
    {
        await using var live = await TestNode.StartAsync("330100");
        var dead = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        await using var gateway = GatewayHost.Start([new RegistryEntry(live, [live.BaseAddress, dead]) { PassiveHealth = true }]);

        // Enough traffic for the failure-rate policy (it needs a minimum number of requests).
        for (var i = 0; i < 60; i++)
        {
            await gateway.Client.GetAsync("/nodes/330100/test/echo/x", Ct);
        }

        var (_, nodes) = await gateway.Client.GetJsonAsync("/api/v1/nodes");
        Assert.Equal("unhealthy", (string)nodes["nodes"]![0]!["destinations"]![1]!["passive"]!);
        Assert.Equal("degraded", (string)nodes["nodes"]![0]!["health"]!);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/nodes/330100/test/echo/x", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Proxy_RouteTimeout_EndsAResponseThatDripsForever()
    {
        var routeTimeout = TimeSpan.FromSeconds(2);
        await using var node = await TestNode.StartAsync("330100");
        node.Fault = NodeFault.Drip; // a byte a second for ten minutes: YARP's ActivityTimeout never trips
        await using var timed = GatewayHost.Start([node], new Dictionary<string, string?> { ["Gateway:Proxy:RouteTimeout"] = routeTimeout.ToString("c") });
        // The same drip through a gateway with the default route timeout (two minutes), started first.
        await using var untimed = GatewayHost.Start([node]);
        using var control = await untimed.Client.GetAsync("/nodes/330100/node/v1/info", HttpCompletionOption.ResponseHeadersRead, Ct);
        var controlBytes = new DrippedBytes(await control.Content.ReadAsStreamAsync(Ct));

        var clock = Stopwatch.StartNew();
        using var response = await timed.Client.GetAsync("/nodes/330100/node/v1/info", HttpCompletionOption.ResponseHeadersRead, Ct);
        var dripped = new DrippedBytes(await response.Content.ReadAsStreamAsync(Ct));
        var ended = await dripped.Ended.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var lasted = clock.Elapsed;
        var controlAtTheCut = controlBytes.Count;

        // The node's answer had started (200, bytes through) when the timeout cut it: aborted, not completed.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(dripped.Count >= 1, "no byte came through before the cut");
        Assert.Equal(DripEnd.Aborted, ended);
        // Measured loosely, since the machine is shared: not before the route timeout (less timer slack), and
        // long before the drip would end on its own.
        Assert.InRange(lasted, routeTimeout - TimeSpan.FromMilliseconds(250), routeTimeout * 10);
        // Without the route timeout the drip goes on: the other gateway's answer, older than the cut one, still
        // brings bytes (two, so at least one was sent after the cut).
        await Eventually.TrueAsync(() => Task.FromResult(controlBytes.Count >= controlAtTheCut + 2), TimeSpan.FromSeconds(30));
        Assert.False(controlBytes.Ended.IsCompleted);
    }

    private static async Task<(int Status, string Text)> RawGetAsync(Uri gateway, string target)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(gateway.Host, gateway.Port, Ct);
        await using var stream = client.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: {gateway.Authority}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(Ct);
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, text);
    }

    /// <summary>Sends 64 KiB, waits until the node has started reading, then sends 64 KiB more.</summary>
    private sealed class GatedContent(Task nodeStartedReading) : HttpContent
    {
        public bool SecondHalfSentAfterNodeStartedReading { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var half = new byte[64 * 1024];
            await stream.WriteAsync(half);
            await stream.FlushAsync();
            await nodeStartedReading.WaitAsync(TimeSpan.FromSeconds(15));
            SecondHalfSentAfterNodeStartedReading = true;
            await stream.WriteAsync(half);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    private enum DripEnd
    {
        Completed,
        Aborted,
    }

    /// <summary>Reads a response body in the background, counting its bytes, until it ends or is aborted.</summary>
    private sealed class DrippedBytes
    {
        private int _count;

        public DrippedBytes(Stream body) => Ended = ReadAsync(body);

        public int Count => Volatile.Read(ref _count);

        public Task<DripEnd> Ended { get; }

        private async Task<DripEnd> ReadAsync(Stream body)
        {
            await using (body)
            {
                var buffer = new byte[256];
                try
                {
                    int read;
                    while ((read = await body.ReadAsync(buffer, Ct)) > 0)
                    {
                        Interlocked.Add(ref _count, read);
                    }

                    return DripEnd.Completed;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or ObjectDisposedException or OperationCanceledException)
                {
                    return DripEnd.Aborted;
                }
            }
        }
    }
}

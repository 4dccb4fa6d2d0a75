using System.Globalization;
using System.Net;
using Archives.Gateway.Caching;
using Archives.Gateway.RateLimiting;
using Archives.Gateway.Tests.Fixtures;
using Archives.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Archives.Gateway.Tests.RateLimiting;

/// <summary>Two gateway instances share a client's budget through a real redis-server; without Redis each counts its own.</summary>
public sealed class SharedRateLimitTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task TwoInstancesOnOneRedis_ShareTheClientsBudget()
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");
        await using var one = RateLimitTests.Start([node], data, SharedLimit(redis.ConnectionString, 4));
        await using var two = RateLimitTests.Start([node], data, SharedLimit(redis.ConnectionString, 4));

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await (i % 2 == 0 ? one : two).Client.GetAsync("/api/v1/nodes", Ct);
            first.Add(response.StatusCode);
        }

        using var overOnOne = await one.Client.GetAsync("/api/v1/nodes", Ct);
        using var overOnTwo = await two.Client.GetAsync("/api/v1/nodes", Ct);

        Assert.All(first, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, overOnOne.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, overOnTwo.StatusCode);
        Assert.Equal("application/problem+json", overOnTwo.Content.Headers.ContentType?.MediaType);
        Assert.InRange(overOnTwo.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task TwoInstancesOnOneRedis_NeverGrantMoreThanTheLimit_AndLoseNoneOfItWhenBothKeepAsking()
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");
        await using var one = RateLimitTests.Start([node], data, SharedLimit(redis.ConnectionString, 100));
        await using var two = RateLimitTests.Start([node], data, SharedLimit(redis.ConnectionString, 100));

        // One takes shares of the window as it goes; two gets what one has not reserved; one then uses up its share.
        var onOne = await RateLimitTests.StatusesAsync(one.Client, "/api/v1/nodes", 70);
        var onTwo = await RateLimitTests.StatusesAsync(two.Client, "/api/v1/nodes", 40);
        var onOneAgain = await RateLimitTests.StatusesAsync(one.Client, "/api/v1/nodes", 10);

        Assert.All(onOne, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, onTwo[^1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, onOneAgain[^1]);
        Assert.Equal(100, onOne.Concat(onTwo).Concat(onOneAgain).Count(s => s == HttpStatusCode.OK));
    }

    [Fact]
    public async Task ASharePausedLongerThanTheIdleLimit_IsStillGranted_NotLost()
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = RateLimitTests.Start([node], data, SharedLimit(redis.ConnectionString, 48));

        // The first request reserves a share (6 of 48); ASP.NET Core removes limiters idle for 10 s, and one removed
        // with its share would have lost those permits: counted in Redis, never granted.
        using var first = await gateway.Client.GetAsync("/api/v1/nodes", Ct);
        await Task.Delay(TimeSpan.FromSeconds(12), Ct);
        var after = await RateLimitTests.StatusesAsync(gateway.Client, "/api/v1/nodes", 48);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.All(after[..47], s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, after[^1]);
    }

    [Fact]
    public async Task ALimiterWhoseShareRanOut_IsIdleSinceItWasLastAsked_NotSinceItWasMade()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString }).Build();
        await using var connection = new RateLimitRedis(configuration, Options.Create(new CacheOptions()), TimeProvider.System, NullLogger<RateLimitRedis>.Instance);
        await connection.StartAsync(Ct);
        using var limiter = new SharedWindowLimiter($"tests:{Guid.NewGuid():N}", new RateLimitPolicy { PermitLimit = 16, Window = TimeSpan.FromMinutes(10) }, connection, TimeProvider.System);
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        using var first = await limiter.AcquireAsync(1, Ct); // reserves a share of 2 in Redis and keeps 1
        using var second = limiter.AttemptAcquire(1);        // the share's last permit

        Assert.True(first.IsAcquired);
        Assert.True(second.IsAcquired);
        // Idle since it was asked a moment ago, not since it was made 3 s ago: ASP.NET Core disposes a limiter idle for
        // 10 s, and one whose idle time counted from its creation was disposed while its next share was on the way.
        Assert.InRange(limiter.IdleDuration!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ABusyClient_CostsOneRedisRoundTripPerShare_NotPerRequest()
    {
        var own = new RedisServer();
        await own.InitializeAsync();
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = RateLimitTests.Start([node], data, SharedLimit(own.ConnectionString, 100000));
        await using var redisClient = await ConnectionMultiplexer.ConnectAsync(own.ConnectionString + ",allowAdmin=true");
        var server = redisClient.GetServer(redisClient.GetEndPoints()[0]);
        using var first = await gateway.Client.GetAsync("/api/v1/nodes", Ct);
        await server.ConfigResetStatisticsAsync();

        var statuses = await RateLimitTests.StatusesAsync(gateway.Client, "/api/v1/nodes", 200);
        var scriptCalls = ScriptCalls(await server.InfoAsync("commandstats"));
        await own.DisposeAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        // 200 permits in shares of 64: four reservations at most (the first request's share covers part of them).
        Assert.InRange(scriptCalls, 1, 4);
    }

    [Fact]
    public async Task TwoInstancesWithoutRedis_CountApart()
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");
        var settings = new Dictionary<string, string?> { ["Gateway:RateLimits:Client:PermitLimit"] = "2", ["Gateway:RateLimits:Client:Window"] = "00:10:00" };
        await using var one = RateLimitTests.Start([node], data, new(settings));
        await using var two = RateLimitTests.Start([node], data, new(settings));

        var onOne = await RateLimitTests.StatusesAsync(one.Client, "/api/v1/nodes", 3);
        var onTwo = await RateLimitTests.StatusesAsync(two.Client, "/api/v1/nodes", 2);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], onOne);
        Assert.All(onTwo, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task RedisUnreachable_LimitsAreCountedInMemory_NeverA500()
    {
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = RateLimitTests.Start([node], data, new()
        {
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{LoopbackPort.Free()},abortConnect=false",
            ["Gateway:RateLimits:Client:PermitLimit"] = "2",
            ["Gateway:RateLimits:Client:Window"] = "00:10:00",
        });

        var statuses = await RateLimitTests.StatusesAsync(gateway.Client, "/api/v1/nodes", 3);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task RedisStoppedWhileRunning_LimitsGoOnInMemory_NeverA500()
    {
        var own = new RedisServer();
        await own.InitializeAsync();
        await using var data = new TestData();
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = RateLimitTests.Start([node], data, SharedLimit(own.ConnectionString, 3));

        using var shared = await gateway.Client.GetAsync("/api/v1/nodes", Ct);
        await own.DisposeAsync();
        var after = await RateLimitTests.StatusesAsync(gateway.Client, "/api/v1/nodes", 4);

        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        Assert.DoesNotContain(after, s => (int)s >= 500);
        Assert.Equal(HttpStatusCode.TooManyRequests, after[^1]);
    }

    /// <summary>A client limit of <paramref name="permits"/> per 10 minutes, shared through the Redis at <paramref name="redisConnection"/>.</summary>
    private static Dictionary<string, string?> SharedLimit(string redisConnection, int permits) => new()
    {
        ["ConnectionStrings:Redis"] = redisConnection,
        ["Gateway:RateLimits:Client:PermitLimit"] = permits.ToString(CultureInfo.InvariantCulture),
        ["Gateway:RateLimits:Client:Window"] = "00:10:00",
    };

    /// <summary>Lua script calls (EVAL and EVALSHA) in Redis's <c>INFO commandstats</c>.</summary>
    private static long ScriptCalls(IGrouping<string, KeyValuePair<string, string>>[] info)
        => info.SelectMany(g => g)
            .Where(p => p.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(p => long.Parse(p.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
}

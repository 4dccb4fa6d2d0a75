using Archives.Gateway.Caching;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Archives.Gateway.RateLimiting;

/// <summary>
/// The Redis connection of the shared rate limits (<c>ConnectionStrings:Redis</c>, as the cache), connected
/// at start and never aborting: until it connects, and for 30 s after a Redis error, limits are counted in
/// this instance's memory (so a Redis outage costs one Redis timeout per 30 s, as for the cache).
/// </summary>
internal sealed class RateLimitRedis(IConfiguration configuration, IOptions<CacheOptions> cache, TimeProvider time, ILogger<RateLimitRedis> logger)
    : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan SkipAfterFailure = TimeSpan.FromSeconds(30);

    private ConnectionMultiplexer? _connection;
    private long _skipUntil;

    /// <summary>The connection when it can be used now; null means: count in memory.</summary>
    public IConnectionMultiplexer? Usable
        => _connection is { IsConnected: true } connection && time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _skipUntil) ? connection : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetConnectionString("Redis") is not { Length: > 0 } redis)
        {
            logger.LogInformation("ConnectionStrings:Redis is not set: rate limits are counted in this instance's memory.");
            return;
        }

        _connection = await ConnectionMultiplexer.ConnectAsync(CachingExtensions.RedisOptions(redis, cache.Value.RedisTimeout));
        if (!_connection.IsConnected)
        {
            logger.LogWarning("Redis is not reachable yet: rate limits are counted in this instance's memory until it is.");
        }
    }

    public void Failed(Exception e)
    {
        Interlocked.Exchange(ref _skipUntil, (time.GetUtcNow() + SkipAfterFailure).UtcTicks);
        logger.LogWarning("Rate limiting through Redis failed ({Error}); counting in this instance's memory for {Skip}.", e.GetType().Name, SkipAfterFailure);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}

using System.Text.Json;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Archives.Gateway.Caching;

internal static class CachingExtensions
{
    /// <summary>
    /// FusionCache: memory L1, plus Redis as L2 and backplane when <c>ConnectionStrings:Redis</c> is set; concurrent
    /// misses of one key run its factory once. Not HybridCache: without a backplane, evicting a node's entries on one
    /// instance would leave them in every other instance's memory until they expire.
    /// </summary>
    public static WebApplicationBuilder AddGatewayCaching(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CacheOptions>()
            .BindConfiguration(CacheOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<GatewayCacheEntries>();
        // One instance: the admin API and YARP (on registry reloads) evict through it, and it remembers what each node was.
        builder.Services.AddSingleton<NodeCacheEviction>();
        builder.Services.AddSingleton<Yarp.ReverseProxy.Model.IClusterChangeListener>(s => s.GetRequiredService<NodeCacheEviction>());

        var redis = builder.Configuration.GetConnectionString("Redis");
        // Read here because the Redis clients are built here; validated with the rest at start.
        var redisTimeout = builder.Configuration.GetSection(CacheOptions.Section).Get<CacheOptions>()?.RedisTimeout ?? TimeSpan.FromSeconds(1);
        if (redisTimeout <= TimeSpan.Zero)
        {
            redisTimeout = TimeSpan.FromSeconds(1);
        }

        var cache = builder.Services.AddFusionCache()
            .WithOptions(o =>
            {
                o.CacheKeyPrefix = "archives-gateway:";
                // When Redis fails, L2 and the backplane are skipped for a while, so that only one request in
                // that period waits for Redis' timeout.
                o.DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(30);
                o.BackplaneCircuitBreakerDuration = TimeSpan.FromSeconds(30);
                // Note: the backplane subscribes in the background, since waiting would block requests while Redis is
                // down; an eviction published before an instance has subscribed reaches it only by expiry.
            })
            .WithDefaultEntryOptions(new FusionCacheEntryOptions
            {
                Duration = TimeSpan.FromMinutes(5),
                // Redis trouble must not fail a search: L2 and backplane errors are logged and skipped.
                ReThrowDistributedCacheExceptions = false,
                ReThrowBackplaneExceptions = false,
                DistributedCacheSoftTimeout = TimeSpan.FromMilliseconds(100),
                DistributedCacheHardTimeout = redisTimeout,
            });

        builder.Services.AddHostedService<CacheStartup>();
        if (string.IsNullOrWhiteSpace(redis))
        {
            return builder;
        }

        var redisOptions = RedisOptions(redis, redisTimeout);
        cache
            // IncludeFields: FusionCache's own entries use value tuples, which System.Text.Json skips otherwise.
            .WithSerializer(new FusionCacheSystemTextJsonSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web) { IncludeFields = true }))
            .WithDistributedCache(new RedisCache(new RedisCacheOptions { ConfigurationOptions = redisOptions }))
            .WithBackplane(new RedisBackplane(new RedisBackplaneOptions { ConfigurationOptions = redisOptions }));
        return builder;
    }

    /// <summary>
    /// Never abort on a failed connect (the gateway serves from memory and reconnects in the background), and,
    /// unless the connection string says otherwise, <see cref="CacheOptions.RedisTimeout"/> rather than 5 s: the
    /// cache is an optimisation and must not hold a search.
    /// </summary>
    internal static ConfigurationOptions RedisOptions(string connectionString, TimeSpan timeout)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or RedisConnectionException)
        {
            throw new InvalidOperationException("ConnectionStrings:Redis is not a valid StackExchange.Redis configuration string.", e);
        }

        options.AbortOnConnectFail = false;
        if (!connectionString.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.AsyncTimeout = (int)timeout.TotalMilliseconds;
        }

        if (!connectionString.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.SyncTimeout = (int)timeout.TotalMilliseconds;
        }

        if (!connectionString.Contains("connectTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.ConnectTimeout = 2000;
        }

        return options;
    }

    /// <summary>Connects Redis at start rather than in the first search, whose short Redis timeouts would also have to cover connecting.</summary>
    private sealed class CacheStartup(IServiceProvider services, IConfiguration configuration, ILogger<CacheStartup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")))
            {
                logger.LogWarning("ConnectionStrings:Redis is not set: the cache is in this instance's memory only (no L2, no backplane); "
                    + "evictions reach only this instance. Set it when running several gateway instances.");
            }

            var cache = services.GetRequiredService<IFusionCache>();
            // Connecting may take longer than an operation: the probe allows it the connect timeout.
            await cache.TryGetAsync<int>("startup-probe", new FusionCacheEntryOptions { DistributedCacheHardTimeout = TimeSpan.FromSeconds(5) }, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

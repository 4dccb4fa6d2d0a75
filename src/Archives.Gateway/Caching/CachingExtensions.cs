using System.Text.Json;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Archives.Gateway.Caching;

/// <summary>Entry options built from <see cref="CacheOptions"/>.</summary>
internal sealed class GatewayCacheEntries(IOptionsMonitor<CacheOptions> options)
{
    public FusionCacheEntryOptions Catalogue => new() { Duration = options.CurrentValue.CatalogueDuration };

    public TimeSpan PartialCatalogueDuration => options.CurrentValue.PartialCatalogueDuration;

    public FusionCacheEntryOptions NodeInfo => new() { Duration = options.CurrentValue.NodeInfoDuration };
}

internal static class CachingExtensions
{
    /// <summary>
    /// FusionCache: memory L1, plus Redis as L2 and as backplane when <c>ConnectionStrings:Redis</c>
    /// is set. Every GetOrSet has stampede protection: concurrent misses of one key run its factory once.
    /// </summary>
    /// <remarks>
    /// Why not HybridCache: it has no backplane, so evicting a node's entries on one instance would
    /// leave them in the memory cache of every other instance until they expire. FusionCache's Redis
    /// backplane tells every instance, so <c>POST /api/v1/admin/nodes/{id}/invalidate</c> evicts the
    /// node's entries everywhere.
    /// </remarks>
    public static WebApplicationBuilder AddGatewayCaching(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CacheOptions>()
            .BindConfiguration(CacheOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<GatewayCacheEntries>();

        var redis = builder.Configuration.GetConnectionString("Redis");
        var cache = builder.Services.AddFusionCache()
            .WithOptions(o =>
            {
                o.CacheKeyPrefix = "archives-gateway:";
                o.DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(5);
                o.BackplaneCircuitBreakerDuration = TimeSpan.FromSeconds(5);
                // An instance must not serve from memory before it can hear evictions from the others.
                o.WaitForInitialBackplaneSubscribe = true;
            })
            .WithDefaultEntryOptions(new FusionCacheEntryOptions
            {
                Duration = TimeSpan.FromMinutes(5),
                // Redis trouble must not fail a search: L2 and backplane errors are logged and skipped.
                ReThrowDistributedCacheExceptions = false,
                ReThrowBackplaneExceptions = false,
                DistributedCacheSoftTimeout = TimeSpan.FromMilliseconds(500),
                DistributedCacheHardTimeout = TimeSpan.FromSeconds(2),
            });

        if (string.IsNullOrWhiteSpace(redis))
        {
            builder.Services.AddHostedService<MemoryOnlyCacheNotice>();
            return builder;
        }

        cache
            .WithSerializer(new FusionCacheSystemTextJsonSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web)))
            .WithDistributedCache(new RedisCache(new RedisCacheOptions { Configuration = redis }))
            .WithBackplane(new RedisBackplane(new RedisBackplaneOptions { Configuration = redis }));
        return builder;
    }

    /// <summary>Says once, at start, that the cache is this instance's memory only.</summary>
    private sealed class MemoryOnlyCacheNotice(ILogger<MemoryOnlyCacheNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("ConnectionStrings:Redis is not set: the cache is in this instance's memory only (no L2, no backplane); "
                + "evictions reach only this instance. Set it when running several gateway instances.");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Archives.Gateway.RateLimiting;

/// <summary>
/// One partition's fixed window: shared by every gateway instance through Redis (RedisRateLimiting's
/// <see cref="RedisFixedWindowRateLimiter{TKey}"/>) while Redis is connected, this instance's own
/// (<see cref="FixedWindowRateLimiter"/>) otherwise.
/// </summary>
/// <remarks>
/// Written here because neither library falls back: RedisRateLimiting throws when Redis does not answer,
/// which would turn a Redis outage into 500s for every request. Note: while Redis is away each instance
/// counts on its own, so a client may get up to one window's permits per instance.
/// </remarks>
internal sealed class SharedWindowLimiter(string key, RateLimitPolicy policy, RateLimitRedis redis) : RateLimiter
{
    private readonly FixedWindowRateLimiter _local = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = policy.PermitLimit,
        Window = policy.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private RateLimiter? _shared;

    public override TimeSpan? IdleDuration => _local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _local.GetStatistics();

    /// <summary>
    /// With Redis the answer needs a round trip: a lease that is not acquired sends ASP.NET Core's middleware
    /// on to <see cref="AcquireAsyncCore"/> (it rejects only what that refuses).
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
        => redis.Usable is not null ? AskRedisLease.Instance : _local.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (redis.Usable is { } connection)
        {
            try
            {
                var shared = LazyInitializer.EnsureInitialized(ref _shared, () => new RedisFixedWindowRateLimiter<string>(key, new RedisFixedWindowRateLimiterOptions
                {
                    ConnectionMultiplexerFactory = () => connection,
                    PermitLimit = policy.PermitLimit,
                    Window = policy.Window,
                }));
                return await shared.AcquireAsync(permitCount, cancellationToken);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                redis.Failed(e);
            }
        }

        return await _local.AcquireAsync(permitCount, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _local.Dispose();
            _shared?.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class AskRedisLease : RateLimitLease
    {
        public static readonly AskRedisLease Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

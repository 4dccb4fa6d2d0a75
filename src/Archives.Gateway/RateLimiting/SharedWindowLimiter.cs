using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Archives.Gateway.RateLimiting;

/// <summary>
/// One partition's fixed window: shared by every gateway instance through Redis while Redis is connected,
/// this instance's own (<see cref="FixedWindowRateLimiter"/>) otherwise.
/// </summary>
/// <remarks>
/// <para>
/// Written here because no library does both things the gateway needs. It must fall back: a Redis outage
/// must not turn into 500s for every request (RedisRateLimiting throws when Redis does not answer). And it
/// must not cost a Redis round trip per request: that round trip was a third of an issuance's time with
/// Redis configured (benchmark, session 10). So an instance takes a <em>share</em> of the shared window at
/// a time — one Lua script call reserves up to <see cref="ShareSize"/> permits, never more than an eighth
/// of what is left in the window (at least the permits asked for) — and grants from that share in memory
/// until it is used up or the window ends.
/// </para>
/// <para>
/// What that means for a client: the shared count never exceeds the limit (a permit is counted in Redis
/// before it is granted), but near the end of a window a share reserved on one instance may go unused
/// while another instance refuses; shares shrink as the window fills (an eighth of the rest), so that loss
/// is small; while fewer than 16 permits are left, a share is one permit. A refusal is
/// remembered until the window ends, so a client over its limit costs no round trips either.
/// While Redis is away each instance counts on its own: a client may then get up to one window's permits
/// per instance.
/// </para>
/// </remarks>
internal sealed class SharedWindowLimiter(string key, RateLimitPolicy policy, RateLimitRedis redis, TimeProvider time) : RateLimiter
{
    /// <summary>The most permits one instance reserves at once.</summary>
    public const int ShareSize = 64;

    /// <summary>
    /// Grants <c>min(@want, max(@need, floor(rest / 8)))</c> permits of the window, or none when fewer than
    /// <c>@need</c> are left; returns the grant and the window's remaining milliseconds. The window starts
    /// with the first grant and ends <c>@window</c> ms later (the key expires with it).
    /// </summary>
    private static readonly LuaScript Reserve = LuaScript.Prepare(
        """
        local used = tonumber(redis.call('GET', @key) or '0')
        local rest = tonumber(@limit) - used
        local need = tonumber(@need)
        local granted = 0
        if rest >= need then
          granted = math.min(tonumber(@want), math.max(need, math.floor(rest / 8)))
          if redis.call('INCRBY', @key, granted) == granted then
            redis.call('PEXPIRE', @key, @window)
          end
        end
        local left = redis.call('PTTL', @key)
        if left < 0 then left = tonumber(@window) end
        return { granted, left }
        """);

    private static readonly RateLimitLease Granted = new SharedLease(true, null);

    /// <summary>Not acquired without a refusal's Retry-After: the middleware goes on to <see cref="AcquireAsyncCore"/>, which asks Redis.</summary>
    private static readonly RateLimitLease AskRedis = new SharedLease(false, null);

    private readonly FixedWindowRateLimiter _local = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = policy.PermitLimit,
        Window = policy.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private readonly RedisKey _key = $"{key}:window";
    private readonly Lock _gate = new();
    private int _share;
    private long _shareEnds;
    private long _refusedUntil;
    private long _lastAsked = time.GetTimestamp();
    private int _reserving;

    /// <summary>
    /// Never idle while it holds part of the shared window or is reserving one, and otherwise idle since it was last
    /// asked: ASP.NET Core's partitioned limiter disposes limiters idle for 10 s, and one disposed with a share would
    /// lose those permits — counted in Redis, never granted.
    /// </summary>
    /// <remarks>
    /// Not the in-memory limiter's idle time: while Redis is used that limiter is never asked, so its idle time
    /// counts from this limiter's creation, and a limiter whose share had just run out was disposed while its
    /// next reservation was on the way to Redis — with the permits that reservation then brought.
    /// </remarks>
    public override TimeSpan? IdleDuration
    {
        get
        {
            long lastAsked;
            lock (_gate)
            {
                if (_reserving > 0 || (_share > 0 && time.GetTimestamp() < _shareEnds))
                {
                    return null;
                }

                lastAsked = _lastAsked;
            }

            return redis.Usable is null ? _local.IdleDuration : time.GetElapsedTime(lastAsked);
        }
    }

    public override RateLimiterStatistics? GetStatistics() => _local.GetStatistics();

    /// <summary>
    /// From the share in memory when it holds the permits; otherwise a lease that is not acquired, which sends
    /// ASP.NET Core's middleware on to <see cref="AcquireAsyncCore"/> (it rejects only what that refuses).
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        if (redis.Usable is null)
        {
            return _local.AttemptAcquire(permitCount);
        }

        return FromShare(permitCount) ?? AskRedis;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (redis.Usable is { } connection)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, policy.PermitLimit);
            if (FromShare(permitCount) is { } lease)
            {
                return lease;
            }

            lock (_gate)
            {
                _reserving++;
            }

            try
            {
                var answer = (RedisResult[])(await Reserve.EvaluateAsync(connection.GetDatabase(), new
                {
                    key = _key,
                    limit = policy.PermitLimit,
                    need = permitCount,
                    want = Math.Max(permitCount, ShareSize),
                    window = (long)policy.Window.TotalMilliseconds,
                }))!;
                return Received((int)answer[0], TimeSpan.FromMilliseconds((long)answer[1]), permitCount);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                redis.Failed(e);
            }
            finally
            {
                lock (_gate)
                {
                    _reserving--;
                    _lastAsked = time.GetTimestamp();
                }
            }
        }

        return await _local.AcquireAsync(permitCount, cancellationToken);
    }

    /// <summary>Permits from the share reserved earlier in this window; a refusal while the window is known to be used up; null: ask Redis.</summary>
    private RateLimitLease? FromShare(int permitCount)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            _lastAsked = now;
            if (now < _refusedUntil)
            {
                return new SharedLease(false, time.GetElapsedTime(now, _refusedUntil));
            }

            if (now < _shareEnds && _share >= permitCount)
            {
                _share -= permitCount;
                return Granted;
            }
        }

        return null;
    }

    /// <summary>Takes what Redis granted: the permits asked for now, the rest into the share until the window ends.</summary>
    private RateLimitLease Received(int granted, TimeSpan windowLeft, int permitCount)
    {
        var now = time.GetTimestamp();
        var ends = now + (long)(windowLeft.TotalSeconds * time.TimestampFrequency);
        lock (_gate)
        {
            if (granted < permitCount)
            {
                _refusedUntil = ends;
                _share = 0;
                return new SharedLease(false, windowLeft);
            }

            // A share left from a window that has ended is not carried into the next one.
            _share = (now < _shareEnds ? _share : 0) + granted - permitCount;
            _shareEnds = ends;
            return Granted;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _local.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>A shared permit, or a refusal with the time until the window ends (<see cref="MetadataName.RetryAfter"/>, as ASP.NET Core's limiters give it).</summary>
    private sealed class SharedLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } after && metadataName == MetadataName.RetryAfter.Name ? after : null;
            return metadata is not null;
        }
    }
}

using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Archives.Gateway.RateLimiting;

/// <summary>
/// One partition's fixed window: shared by every gateway instance through Redis while Redis is connected,
/// this instance's own (<see cref="FixedWindowRateLimiter"/>) otherwise.
/// </summary>
/// <remarks>
/// Written here because no library does both: fall back when Redis does not answer (RedisRateLimiting throws,
/// which would make a Redis outage a 500 for every request), and not cost a Redis round trip per request (about
/// a third of an issuance's time). An instance reserves a <em>share</em> of the window with one script call — up
/// to <see cref="ShareSize"/> permits, at most an eighth of what is left, at least what is asked — and grants from
/// it in memory until it is used up or the window ends. The shared count never exceeds the limit; near a window's
/// end a share held by one instance may go unused while another refuses. A refusal is remembered until the window
/// ends. While Redis is away each instance counts alone: up to one window's permits per instance.
/// </remarks>
internal sealed class SharedWindowLimiter(string key, RateLimitPolicy policy, RateLimitRedis redis, TimeProvider time) : RateLimiter
{
    public const int ShareSize = 64;

    /// <summary>
    /// Grants <c>min(@want, max(@need, floor(rest / 8)))</c> permits, or none when fewer than <c>@need</c> are left, and
    /// returns the grant and the window's remaining ms. The window starts with its first grant (the key expires with it).
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

    /// <summary>Not acquired, without a Retry-After: the middleware goes on to <see cref="AcquireAsyncCore"/>, which asks Redis.</summary>
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
    /// Never idle while it holds a share or is reserving one: ASP.NET Core disposes limiters idle for 10 s, and a
    /// disposed share's permits are counted in Redis but never granted. Otherwise idle since it was last asked (the
    /// in-memory limiter is never asked while Redis is used, so its idle time would count from creation).
    /// </summary>
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

    /// <summary>From the share; otherwise a lease not acquired, on which the middleware goes on to <see cref="AcquireAsyncCore"/>.</summary>
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

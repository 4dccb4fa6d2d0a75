namespace Archives.Gateway.RateLimiting;

/// <summary>At most <see cref="PermitLimit"/> requests per <see cref="Window"/> (a fixed window); more are answered 429 with <c>Retry-After</c>.</summary>
internal sealed class RateLimitPolicy
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

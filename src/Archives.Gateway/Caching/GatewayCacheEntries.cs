using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace Archives.Gateway.Caching;

/// <summary>Entry options built from <see cref="CacheOptions"/>.</summary>
internal sealed class GatewayCacheEntries(IOptionsMonitor<CacheOptions> options)
{
    public FusionCacheEntryOptions Catalogue => new() { Duration = options.CurrentValue.CatalogueDuration };

    public TimeSpan PartialCatalogueDuration => options.CurrentValue.PartialCatalogueDuration;

    public FusionCacheEntryOptions NodeInfo => new() { Duration = options.CurrentValue.NodeInfoDuration };
}

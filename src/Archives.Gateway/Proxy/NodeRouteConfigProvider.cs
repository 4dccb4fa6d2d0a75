using System.Text.RegularExpressions;
using Archives.Gateway.Access;
using Archives.Gateway.Registry;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Archives.Gateway.Proxy;

/// <summary>
/// Synthesises one YARP route per registry cluster: <c>/nodes/{nodeId}/{**path}</c> → cluster
/// <c>nodeId</c>, with the <c>/nodes/{nodeId}</c> prefix removed.
/// </summary>
/// <remarks>
/// A second <see cref="IProxyConfigProvider"/> rather than an <c>IProxyConfigFilter</c>, which can only change routes
/// that exist (the registry file holds none). YARP merges the providers, so the file stays loaded exactly as
/// operators write it; routes follow its reloads.
/// </remarks>
internal sealed partial class NodeRouteConfigProvider(RegistryFile registry, IOptionsMonitor<ProxyOptions> proxyOptions, ILogger<NodeRouteConfigProvider> logger)
    : IProxyConfigProvider
{
    public const string NodeIdMetadata = "nodeId";

    public IProxyConfig GetConfig()
    {
        // Take the token before reading so that a reload between the two is never missed.
        var changeToken = registry.GetReloadToken();
        var routes = new List<RouteConfig>();
        foreach (var cluster in registry.Clusters.GetChildren())
        {
            var nodeId = cluster.Key;
            if (!SafeNodeId().IsMatch(nodeId))
            {
                logger.LogWarning("Registry cluster id '{ClusterId}' is not a valid node id (letters, digits, '-', '_'); no route is made for it.", nodeId[..Math.Min(nodeId.Length, 40)]);
                continue;
            }

            routes.Add(RouteFor(nodeId, proxyOptions.CurrentValue));
        }

        return new Config(routes, changeToken);
    }

    internal static RouteConfig RouteFor(string nodeId, ProxyOptions options) => new()
    {
        RouteId = "node-" + nodeId,
        ClusterId = nodeId,
        Match = new RouteMatch { Path = $"/nodes/{nodeId}/{{**path}}" },
        Timeout = options.RouteTimeout,
        // Note: callers of the pass-through need catalog.read; the node sees only the gateway's token.
        AuthorizationPolicy = GatewayScopes.CatalogRead,
        Metadata = new Dictionary<string, string> { [NodeIdMetadata] = nodeId },
        Transforms = [new Dictionary<string, string> { ["PathRemovePrefix"] = "/nodes/" + nodeId }],
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SafeNodeId();

    private sealed class Config(IReadOnlyList<RouteConfig> routes, IChangeToken changeToken) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = [];

        public IChangeToken ChangeToken { get; } = changeToken;
    }
}

using System.Runtime.CompilerServices;
using Archives.Contracts;
using Refit;
using Yarp.ReverseProxy.Model;

namespace Archives.Gateway.Federation;

/// <summary>Refit <see cref="IArchiveNodeApi"/> clients for node destinations, one per destination.</summary>
internal sealed class NodeClientFactory(IHttpClientFactory httpClients)
{
    /// <summary>The named HttpClient every node call goes through.</summary>
    public const string HttpClientName = "archive-node";

    // The contract's source-generated JSON metadata (web defaults): no reflection over the messages and no
    // code emitted at run time, so a freshly started gateway has less to compile before searches run at speed.
    private static readonly RefitSettings Settings = RefitSettings.ForJsonContext(NodeContractJsonContext.Default);

    // Keyed by YARP's destination model: a reload that changes a destination's address makes a new model (and
    // so a new client), and a removed destination's client goes with its model.
    private readonly ConditionalWeakTable<DestinationModel, IArchiveNodeApi> _clients = new();

    /// <summary>
    /// The client of one destination (base address) of a node, made on its first call and kept: a federated
    /// search calls hundreds of nodes, and each call made its client anew (the base address parsed, an
    /// HttpClient and a Refit client allocated).
    /// </summary>
    /// <remarks>
    /// Keeping the HttpClient is safe: its handler chain (and so the resilience pipelines, keyed by
    /// authority) is the factory's, pooled and never rotated (<c>SetHandlerLifetime</c> is infinite; the
    /// connections renew themselves, see <see cref="NodeClientExtensions.AddNodeClients"/>).
    /// </remarks>
    public IArchiveNodeApi For(DestinationModel destination)
    {
        if (_clients.TryGetValue(destination, out var client))
        {
            return client;
        }

        var http = httpClients.CreateClient(HttpClientName);
        http.BaseAddress = new Uri(destination.Config.Address);
        return _clients.GetValue(destination, _ => RestService.For<IArchiveNodeApi>(http, Settings));
    }
}

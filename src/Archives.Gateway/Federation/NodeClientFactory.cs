using System.Runtime.CompilerServices;
using Archives.Contracts;
using Refit;
using Yarp.ReverseProxy.Model;

namespace Archives.Gateway.Federation;

/// <summary>Refit <see cref="IArchiveNodeApi"/> clients for node destinations, one per destination.</summary>
internal sealed class NodeClientFactory(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "archive-node";

    // The contract's source-generated JSON metadata: no reflection or code emitted at run time, so less to compile after start.
    private static readonly RefitSettings Settings = RefitSettings.ForJsonContext(NodeContractJsonContext.Default);

    // Keyed by YARP's destination model: a reload that changes a destination's address makes a new model (and
    // so a new client), and a removed destination's client goes with its model.
    private readonly ConditionalWeakTable<DestinationModel, IArchiveNodeApi> _clients = new();

    /// <summary>
    /// The client of one destination of a node, made on its first call and kept, since a search calls hundreds of
    /// nodes. Keeping the HttpClient is safe: its handler chain is the factory's and never rotated (its connections
    /// renew themselves, see <see cref="NodeClientExtensions.AddNodeClients"/>).
    /// </summary>
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

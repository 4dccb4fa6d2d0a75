using Archives.Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>
/// The certificate world of one test: the Hangzhou and Shanghai evidence nodes of <see cref="CertificateWorld"/>,
/// a ledger directory and a gateway of its own, for tests that change the nodes, the settings or the services.
/// </summary>
public sealed record OwnCertificateWorld(EvidenceNode Hangzhou, EvidenceNode Shanghai, TestData Data, GatewayHost Gateway) : IAsyncDisposable
{
    public static async Task<OwnCertificateWorld> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var (hangzhou, shanghai) = await CertificateWorld.StartNodesAsync();
        var data = new TestData();
        return new OwnCertificateWorld(hangzhou, shanghai, data, GatewayHost.Start([hangzhou, shanghai], settings, dataDirectory: data.Path, services: services));
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Data.DisposeAsync();
        await Shanghai.DisposeAsync();
        await Hangzhou.DisposeAsync();
    }
}

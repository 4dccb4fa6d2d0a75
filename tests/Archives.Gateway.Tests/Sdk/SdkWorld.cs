using Archives.Contracts;
using Archives.Gateway.Client;
using Archives.Gateway.Tests.Certificates;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Gateway.Tests.Sdk;

/// <summary>
/// The SDK's world: the real gateway (real Kestrel) over the certificate world's two evidence nodes
/// (Hangzhou, Shanghai) and a catalogue-and-records node (Jiangsu), trusting the real identity server;
/// the SDK gets the government app's (<c>zheliban</c>) tokens from that server's discovery document.
/// </summary>
public sealed class SdkWorld : IAsyncLifetime
{
    public const string JiangsuMarriage = "JS-MAR-1980-0001";

    private readonly TestData _data = new();

    public GatewayHost Gateway { get; private set; } = null!;

    public EvidenceNode Hangzhou { get; private set; } = null!;

    public EvidenceNode Shanghai { get; private set; } = null!;

    public TestNode Jiangsu { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        (Hangzhou, Shanghai) = await CertificateWorld.StartNodesAsync();
        Jiangsu = await TestNode.StartAsync("320000", Catalogue.Entries("320000", 30, "婚姻"), [
            new TestRecord(new RecordMatch
            {
                RecordId = JiangsuMarriage,
                Category = RecordCategory.Marriage,
                ArchivalReference = ArchivalReference.Parse("J001-HY·1980-0001-0001"),
                Title = "1980年结婚登记",
                EventDate = new DateOnly(1980, 5, 1),
                SubjectName = "陈建国",
                MaskedIdNumber = IdNumber.Mask(CertificateWorld.ChenId),
                Match = MatchKind.Exact,
                Digitised = true,
            }, CertificateWorld.ChenId, new DateOnly(1955, 3, 12)),
        ]);
        Gateway = GatewayHost.Start([Hangzhou, Shanghai, Jiangsu], dataDirectory: _data.Path);
    }

    /// <summary>
    /// A service provider as a government app builds it: <c>AddArchivesGatewayClient</c> with the app's
    /// credentials; <paramref name="configure"/> adds what a test needs (e.g. a fault on the wire).
    /// </summary>
    public ServiceProvider App(Action<IHttpClientBuilder>? configure = null, Action<IServiceCollection>? services = null)
        => App(Gateway.Address, "zheliban", configure: configure, services: services);

    /// <summary>
    /// A service provider as an app of <paramref name="clientId"/> builds it for the gateway at <paramref name="gateway"/>,
    /// with the client's dev secret from the test identity server; <paramref name="scopes"/> replace the SDK's default ones.
    /// </summary>
    public static ServiceProvider App(
        Uri gateway, string clientId, IList<string>? scopes = null, Action<IHttpClientBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        var client = collection.AddArchivesGatewayClient(options =>
        {
            options.BaseAddress = gateway;
            options.Authority = Identity.Issuer;
            options.ClientId = clientId;
            options.ClientSecret = Identity.SecretOf(clientId);
            options.Scopes = scopes ?? options.Scopes;
            // The test identity server is plain HTTP on loopback.
            options.RequireHttps = false;
        });
        configure?.Invoke(client);
        services?.Invoke(collection);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A certificate request of 陈建国's one-child record in Hangzhou, online through 浙里办.</summary>
    public static CertificateRequest ChenOneChild() => CertificateWorld.Request("330100", CertificateWorld.HangzhouOneChild, CertificateWorld.ChenId) with
    {
        IssuedVia = new CertificateChannel { Kind = IssuingChannelKind.Online, Name = "浙里办" },
    };

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Hangzhou.DisposeAsync();
        await Shanghai.DisposeAsync();
        await Jiangsu.DisposeAsync();
        await _data.DisposeAsync();
    }
}

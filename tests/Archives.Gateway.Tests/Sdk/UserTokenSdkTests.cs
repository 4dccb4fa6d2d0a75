using System.Net;
using Archives.Contracts;
using Archives.Gateway.Client;
using Archives.Gateway.Ledger;
using Archives.Gateway.Tests.Certificates;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Tests.Sdk;

/// <summary>
/// <see cref="ArchivesGatewayClientOptions.AccessTokenProvider"/>: the SDK sends the signed-in user's token (here a real
/// clerk token from the service hall's code flow) instead of client credentials, which it then does not need.
/// </summary>
public sealed class UserTokenSdkTests(SdkWorld world) : IClassFixture<SdkWorld>
{
    [Fact]
    public async Task UserToken_IsSentOnEveryCall_TheGatewaySeesTheClerk_NoClientCredentialsNeeded()
    {
        var clerkToken = await ClerkTokens.ForHallAsync("330100");
        var asked = 0;
        var collection = new ServiceCollection();
        collection.AddArchivesGatewayClient(options =>
        {
            options.BaseAddress = world.Gateway.Address;
            options.AccessTokenProvider = (services, cancellationToken) =>
            {
                Assert.NotNull(services.GetService<IOptions<ArchivesGatewayClientOptions>>());
                Interlocked.Increment(ref asked);
                return ValueTask.FromResult(clerkToken);
            };
        });
        await using var app = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var certificates = app.GetRequiredService<ICertificatesApi>();

        using var issued = await certificates.IssueAsync(CertificateWorld.ChenOneChild(), Ct);
        var number = issued.Content!.Certificate.Number;
        var read = await certificates.GetAsync(number, Ct);
        CertificateEntry entry;
        await using (var ledger = world.Gateway.Ledger())
        {
            entry = await ledger.Certificates.AsNoTracking().SingleAsync(c => c.Number == number, Ct);
        }

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(number, read.Certificate.Number);
        Assert.Equal(("service-hall", "330100"), (entry.ClientId, entry.Hall));
        Assert.NotNull(entry.ClerkId);
        Assert.True(asked >= 2);
    }

    [Fact]
    public async Task Options_WithoutAUserTokenProvider_StillNeedTheClientCredentials()
    {
        var collection = new ServiceCollection();
        collection.AddArchivesGatewayClient(options => options.BaseAddress = world.Gateway.Address);
        await using var app = collection.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => app.GetRequiredService<IOptions<ArchivesGatewayClientOptions>>().Value);

        Assert.Contains("AccessTokenProvider", error.Message, StringComparison.Ordinal);
    }
}

using System.Net;
using Archives.Gateway.Tests.Fixtures;
using Jose;
using Microsoft.Extensions.DependencyInjection;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>Keys rotate by age, stay published while their certificates may be relied on; certificates expire.</summary>
public sealed class KeyLifecycleTests
{
    [Fact]
    public async Task Rotation_AfterKeyRotationAge_NewKeySigns_OldKeyPublishedUntilItsCertificatesExpire()
    {
        var clock = new ShiftedTimeProvider();
        await using var own = await OwnCertificateWorld.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var gateway = own.Gateway;
        using var client = gateway.ClientFor(Callers.HangzhouClerk());

        var before = await IssueAsync(client);
        clock.Shift = TimeSpan.FromDays(91);
        var after = await IssueAsync(client);
        var jwksThen = await JwksAsync(gateway);
        clock.Shift = TimeSpan.FromDays(91 + 181);
        var jwksLater = await JwksAsync(gateway);
        var (_, verification) = await SignatureTests.VerifyAsync(gateway.Anonymous, new { jws = (string)before["jws"]! });

        Assert.NotEqual((string)before["keyId"]!, (string)after["keyId"]!);
        Assert.Equal(2, jwksThen.Keys.Count);
        Assert.Equal((string)after["keyId"]!, Assert.Single(jwksLater.Keys).KeyId);
        // The old key is no longer published: its certificates have expired; the JWS no longer verifies.
        Assert.Equal("invalid", (string)verification["status"]!);
    }

    [Fact]
    public async Task Certificate_PastItsValidity_VerifiesAsExpired()
    {
        var clock = new ShiftedTimeProvider();
        await using var own = await OwnCertificateWorld.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var gateway = own.Gateway;
        using var client = gateway.ClientFor(Callers.HangzhouClerk());
        var issued = await IssueAsync(client);
        var certificate = issued["certificate"]!;

        clock.Shift = TimeSpan.FromDays(181);
        var (_, byCode) = await SignatureTests.VerifyAsync(gateway.Anonymous, new { number = (string)certificate["number"]!, code = (string)certificate["verificationCode"]! });
        var page = await gateway.Anonymous.GetStringAsync($"/verify/{(string)certificate["number"]!}?code={(string)certificate["verificationCode"]!}", Ct);

        Assert.Equal("expired", (string)byCode["status"]!);
        Assert.Contains("证明已过期", page);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> IssueAsync(HttpClient client)
    {
        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static async Task<JwkSet> JwksAsync(GatewayHost gateway)
        => JwkSet.FromJson(await gateway.Anonymous.GetStringAsync("/.well-known/certificate-keys", Ct), JWT.DefaultSettings.JsonMapper);

    /// <summary>The system clock moved forward by <see cref="Shift"/> (timers and timestamps untouched).</summary>
    private sealed class ShiftedTimeProvider : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;
    }
}

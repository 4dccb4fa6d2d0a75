using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Archives.Gateway.Tests.Fixtures;
using Jose;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>The JWS verifies offline with the JWKS alone, in an independent JOSE library (jose-jwt; the gateway signs with Microsoft.IdentityModel).</summary>
public sealed class SignatureTests(CertificateWorld world) : IClassFixture<CertificateWorld>
{
    [Fact]
    public async Task Jwks_PublishesOnlyPublicEcKeys()
    {
        var (response, jwks) = await world.Gateway.Anonymous.GetJsonAsync("/.well-known/certificate-keys");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = Assert.Single(jwks["keys"]!.AsArray())!;
        Assert.Equal("EC", (string)key["kty"]!);
        Assert.Equal("P-256", (string)key["crv"]!);
        Assert.Equal("ES256", (string)key["alg"]!);
        Assert.Equal("sig", (string)key["use"]!);
        Assert.Null(key["d"]);
    }

    [Fact]
    public async Task Jws_VerifiesWithJoseJwtAndTheJwksAlone()
    {
        var issued = await IssueAsync(world.Gateway);
        var jws = (string)issued["jws"]!;
        var jwks = await world.Gateway.Anonymous.GetStringAsync("/.well-known/certificate-keys", Ct);

        var headers = JWT.Headers(jws);
        var key = JwkSet.FromJson(jwks, JWT.DefaultSettings.JsonMapper).Keys.Single(k => k.KeyId == (string)headers["kid"]);
        var payload = JsonNode.Parse(JWT.Decode(jws, key))!;

        Assert.Equal("ES256", (string)headers["alg"]);
        Assert.Equal((string)issued["keyId"]!, (string)headers["kid"]);
        Assert.Equal((string)issued["certificate"]!["number"]!, (string)payload["number"]!);
        Assert.Equal(issued["certificate"]!.ToJsonString(), payload.ToJsonString());
    }

    [Fact]
    public async Task Jws_TamperedPayload_IsRejectedOfflineAndByTheVerifyApi()
    {
        var issued = await IssueAsync(world.Gateway);
        var jws = (string)issued["jws"]!;
        var jwks = await world.Gateway.Anonymous.GetStringAsync("/.well-known/certificate-keys", Ct);
        var parts = jws.Split('.');
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Base64Url.Decode(parts[1])))!;
        Assert.Equal("陈建国", (string)payload["subject"]!["name"]!);
        payload["subject"]!["name"] = "陈建军";
        var tampered = $"{parts[0]}.{Base64Url.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";

        var key = JwkSet.FromJson(jwks, JWT.DefaultSettings.JsonMapper).Keys.Single();
        Assert.Throws<IntegrityException>(() => JWT.Decode(tampered, key));
        var (_, genuine) = await VerifyAsync(world.Gateway.Anonymous, new { jws });
        var (altered, alteredBody) = await VerifyAsync(world.Gateway.Anonymous, new { jws = tampered });

        Assert.Equal("valid", (string)genuine["status"]!);
        Assert.Equal(HttpStatusCode.OK, altered.StatusCode);
        Assert.Equal("invalid", (string)alteredBody["status"]!);
        Assert.Null(alteredBody["certificate"]);
    }

    [Fact]
    public async Task Keys_Rotated_NewKeySigns_OldCertificatesStillVerify()
    {
        var (hangzhou, shanghai) = await CertificateWorld.StartNodesAsync();
        await using var _ = hangzhou;
        await using var __ = shanghai;
        await using var data = new TestData();
        JsonNode before;
        await using (var first = GatewayHost.Start([hangzhou, shanghai], dataDirectory: data.Path))
        {
            before = await IssueAsync(first);
        }

        // An operator adds a newer key (as a secret-manager rotation would).
        using (var next = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var keyId = DateTime.UtcNow.AddMinutes(1).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-ops1";
            await File.WriteAllTextAsync(Path.Combine(data.Path, "certificate-keys", keyId + ".pem"), next.ExportPkcs8PrivateKeyPem(), Ct);
        }

        await using var second = GatewayHost.Start([hangzhou, shanghai], dataDirectory: data.Path);
        var after = await IssueAsync(second);
        var jwks = JwkSet.FromJson(await second.Anonymous.GetStringAsync("/.well-known/certificate-keys", Ct), JWT.DefaultSettings.JsonMapper);

        Assert.EndsWith("-ops1", (string)after["keyId"]!);
        Assert.Equal(2, jwks.Keys.Count);
        foreach (var certificate in new[] { before, after })
        {
            var jws = (string)certificate["jws"]!;
            var key = jwks.Keys.Single(k => k.KeyId == (string)JWT.Headers(jws)["kid"]);
            Assert.Equal((string)certificate["certificate"]!["number"]!, (string)JsonNode.Parse(JWT.Decode(jws, key))!["number"]!);
        }
    }

    private static async Task<JsonNode> IssueAsync(GatewayHost gateway)
    {
        using var client = gateway.ClientFor(Callers.HangzhouClerk());
        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    internal static async Task<(HttpResponseMessage Response, JsonNode Body)> VerifyAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/certificates/verify", body, Ct);
        return (response, await response.ReadJsonAsync());
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Security.Cryptography;
using Archives.Gateway.Access;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Archives.Gateway.Tests.Access;

/// <summary>
/// The gateway remembers access tokens it has validated in full (<see cref="CachingJsonWebTokenHandler"/>):
/// through the real pipeline with real tokens of the real identity server, then the handler on its own
/// with keys and a clock of the test's (token expiry and a withdrawn key cannot be shown on demand otherwise).
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private const string Issuer = "https://identity.test/";
    private const string Audience = "archives-gateway";

    [Fact]
    public async Task SameToken_IsValidatedOnce_AndEveryRequestIsStillAuthorized()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);
        var handler = gateway.Services.GetRequiredService<CachingJsonWebTokenHandler>();
        var token = await Identity.RequestTokenAsync("zheliban", ["catalog.read"], Ct);

        for (var i = 0; i < 3; i++)
        {
            using var response = await SendAsync(gateway, "/nodes/330100/test/echo/x", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, handler.Count);

        // The scope check still runs on a remembered token: this one lacks records.search.
        using var refused = await SendAsync(gateway, "/api/v1/records/search", token, HttpMethod.Post);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task TamperedCopiesOfARememberedToken_AreRefused()
    {
        await using var node = await TestNode.StartAsync("330100");
        await using var gateway = GatewayHost.Start([node]);
        var token = await Identity.RequestTokenAsync("zheliban", ["catalog.read"], Ct);
        using (var accepted = await SendAsync(gateway, "/nodes/330100/test/echo/x", token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        var parts = token.Split('.');
        var otherSignature = parts[2][..^4] + (parts[2][^4..] == "AAAA" ? "BBBB" : "AAAA");
        var otherPayload = Base64UrlEncoder.Encode(Base64UrlEncoder.DecodeBytes(parts[1]).Concat(" "u8.ToArray()).ToArray());
        foreach (var tampered in new[] { $"{parts[0]}.{parts[1]}.{otherSignature}", $"{parts[0]}.{otherPayload}.{parts[2]}", token + "x" })
        {
            using var response = await SendAsync(gateway, "/nodes/330100/test/echo/x", tampered);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task RememberedToken_IsNotUsedPastItsExpiry_ButCheckedInFullAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var handler = Handler(time);
        var (token, parameters, fullChecks) = await ValidatedTwiceAsync(handler);
        Assert.Equal(1, fullChecks.Value);

        time.Advance(TimeSpan.FromMinutes(10));
        await handler.ValidateTokenAsync(token, parameters);
        Assert.Equal(2, fullChecks.Value);
    }

    [Fact]
    public async Task RememberedToken_IsRefusedOnceItsSigningKeyIsWithdrawn()
    {
        using var handler = Handler(TimeProvider.System);
        var key = SigningKey();
        var next = SigningKey();
        var token = Token(key, lifetime: TimeSpan.FromMinutes(10));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(key))).IsValid);

        var afterRotation = await handler.ValidateTokenAsync(token, Parameters(next));

        Assert.False(afterRotation.IsValid);
    }

    [Fact]
    public async Task EachRequest_GetsItsOwnClaims()
    {
        using var handler = Handler(TimeProvider.System);
        var key = SigningKey();
        var token = Token(key, lifetime: TimeSpan.FromMinutes(10));
        var parameters = Parameters(key);

        var first = await handler.ValidateTokenAsync(token, parameters);
        first.ClaimsIdentity.AddClaim(new Claim("scope", "audit.read"));
        var second = await handler.ValidateTokenAsync(token, parameters);
        second.ClaimsIdentity.AddClaim(new Claim("scope", "certificates.revoke"));
        var third = await handler.ValidateTokenAsync(token, parameters);

        Assert.Equal(["catalog.read"], third.ClaimsIdentity.FindAll("scope").Select(c => c.Value));
        Assert.Equal("zheliban", new ClaimsPrincipal(third.ClaimsIdentity).FindFirst("client_id")?.Value);
        Assert.True(third.ClaimsIdentity.IsAuthenticated);
    }

    [Fact]
    public async Task SizeZero_RemembersNothing()
    {
        using var handler = Handler(TimeProvider.System, size: 0);

        var (_, _, fullChecks) = await ValidatedTwiceAsync(handler);

        Assert.Equal(2, fullChecks.Value);
        Assert.Equal(0, handler.Count);
    }

    /// <summary>A token signed by a fresh key, validated twice (valid both times); and how many full checks have run.</summary>
    private static async Task<(string Token, TokenValidationParameters Parameters, StrongBox<int> FullChecks)> ValidatedTwiceAsync(CachingJsonWebTokenHandler handler)
    {
        var key = SigningKey();
        var token = Token(key, lifetime: TimeSpan.FromMinutes(10));
        var fullChecks = new StrongBox<int>();
        var parameters = Parameters(key, onFullCheck: () => fullChecks.Value++);
        Assert.True((await handler.ValidateTokenAsync(token, parameters)).IsValid);
        Assert.True((await handler.ValidateTokenAsync(token, parameters)).IsValid);
        return (token, parameters, fullChecks);
    }

    private static async Task<HttpResponseMessage> SendAsync(GatewayHost gateway, string path, string token, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (request.Method == HttpMethod.Post)
        {
            request.Content = new StringContent("""{"subject":{"idNumber":"11010519491231002X"},"purpose":"test"}""", System.Text.Encoding.UTF8, "application/json");
        }

        return await gateway.Anonymous.SendAsync(request, Ct);
    }

    private static CachingJsonWebTokenHandler Handler(TimeProvider time, int size = 100)
        => new(Options.Create(new GatewayAuthOptions { ValidatedTokenCacheSize = size }), time);

    private static RsaSecurityKey SigningKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    private static string Token(RsaSecurityKey key, TimeSpan lifetime) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        TokenType = "at+jwt",
        IssuedAt = DateTime.UtcNow,
        NotBefore = DateTime.UtcNow,
        Expires = DateTime.UtcNow + lifetime,
        Claims = new Dictionary<string, object> { ["client_id"] = "zheliban", ["scope"] = "catalog.read" },
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });

    private static TokenValidationParameters Parameters(SecurityKey key, Action? onFullCheck = null)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidTypes = ["at+jwt"],
            IssuerSigningKeys = [key],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            NameClaimType = "client_id",
        };
        if (onFullCheck is not null)
        {
            // Runs inside the full check only; the handler's own lifetime rule is the test's clock.
            parameters.LifetimeValidator = (notBefore, expires, token, p) =>
            {
                onFullCheck();
                return true;
            };
        }

        return parameters;
    }
}

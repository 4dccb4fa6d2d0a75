using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Archives.Identity.Tests;

/// <summary>What a resource server (the gateway, a node) does: discover, fetch the JWKS, validate a JWT with nothing else.</summary>
internal static class Tokens
{
    public const string GatewayAudience = "archives-gateway";
    public const string NodeAudience = "archives-node";

    public static async Task<DiscoveryDocumentResponse> DiscoverAsync(this HttpClient http)
    {
        var discovery = await http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = http.BaseAddress!.ToString(),
            Policy = { RequireHttps = true, AllowHttpOnLoopback = true },
        }, TestContext.Current.CancellationToken);
        Assert.False(discovery.IsError, discovery.Error);
        return discovery;
    }

    public static async Task<TokenResponse> ClientCredentialsAsync(this HttpClient http, string clientId, string secret, string scope)
    {
        var discovery = await http.DiscoverAsync();
        return await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = clientId,
            ClientSecret = secret,
            Scope = scope,
        }, TestContext.Current.CancellationToken);
    }

    /// <summary>Validates an access token from the JWKS alone: signature, issuer, audience, lifetime, type.</summary>
    /// <param name="http">A client of the server whose JWKS is used.</param>
    /// <param name="token">The access token.</param>
    /// <param name="audience">The audience required.</param>
    /// <param name="issuer">The issuer expected; by default the one the server's discovery document names.</param>
    public static async Task<TokenValidationResult> ValidateAsync(this HttpClient http, string token, string audience, string? issuer = null)
    {
        var discovery = await http.DiscoverAsync();
        var jwks = new JsonWebKeySet(await http.GetStringAsync(discovery.JwksUri, TestContext.Current.CancellationToken));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer ?? discovery.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.Zero,
        });
    }

    public static string Claim(this TokenValidationResult result, string type) =>
        result.Claims.TryGetValue(type, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)! : "";
}

using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Archives.Gateway.Access;

/// <summary>
/// JwtBearer's own token handler (<see cref="JsonWebTokenHandler"/>) that remembers the access tokens it has
/// validated in full, so that a client sending the same token with every request pays for the RSA signature
/// check and the parsing of its claims once per token, not once per request. On the pass-through, token
/// validation was the largest share of the gateway's own CPU per request.
/// </summary>
/// <remarks>
/// Note: what is remembered is a success of every check of the <see cref="TokenValidationParameters"/>
/// (signature, issuer, audience, type, lifetime) for the whole token string, byte for byte (the token itself is
/// the key, never a hash of it). A remembered token is accepted again only
/// <list type="bullet">
/// <item>before its <c>exp</c> (the clock skew allowed by the full check is not granted from memory; after
/// <c>exp</c> the token is checked in full again), and</item>
/// <item>while the key that signed it is still one of the identity server's signing keys as the gateway holds
/// them now: a key the server withdraws stops being accepted as soon as the gateway reads the new JWKS, exactly
/// as without the memory.</item>
/// </list>
/// Refused tokens are never remembered: each is checked in full every time. Each request gets its own copy of
/// the claims, so nothing one request adds to its principal reaches another. IdentityModel has no such cache
/// itself (it caches signature providers, not results), hence this subclass; the memory is a bounded
/// <see cref="MemoryCache"/> (<see cref="GatewayAuthOptions.ValidatedTokenCacheSize"/> tokens, 0 turns it off).
/// </remarks>
internal sealed class CachingJsonWebTokenHandler : JsonWebTokenHandler, IDisposable
{
    private readonly MemoryCache? _validated;
    private readonly TimeProvider _time;

    public CachingJsonWebTokenHandler(IOptions<GatewayAuthOptions> options, TimeProvider time)
    {
        _time = time;
        MapInboundClaims = false;
        var size = options.Value.ValidatedTokenCacheSize;
        _validated = size > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = size }) : null;
    }

    /// <summary>How many validated tokens are remembered now (for tests).</summary>
    internal int Count => _validated?.Count ?? 0;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_validated is not null && _validated.TryGetValue(token, out Validated? held) && held is not null
            && _time.GetUtcNow() < held.Expires && await IsStillTrustedAsync(held.SigningKey, validationParameters))
        {
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = held.Token,
                ClaimsIdentity = held.Identity.Clone(),
                Issuer = held.Token.Issuer,
                TokenType = held.Token.Typ,
            };
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (_validated is not null && result.IsValid && result.SecurityToken is JsonWebToken { SigningKey: { } key } validated
            && validated.ValidTo > _time.GetUtcNow().UtcDateTime)
        {
            var expires = new DateTimeOffset(validated.ValidTo, TimeSpan.Zero);

            // A copy: the request that validated the token may still add claims to its own identity.
            _validated.Set(token, new Validated(validated, key, result.ClaimsIdentity.Clone(), expires), new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpiration = expires,
            });
        }

        return result;
    }

    /// <summary>Whether <paramref name="key"/> is still among the keys the validation parameters trust now.</summary>
    private static async ValueTask<bool> IsStillTrustedAsync(SecurityKey key, TokenValidationParameters parameters)
    {
        if (ReferenceEquals(parameters.IssuerSigningKey, key) || Holds(parameters.IssuerSigningKeys, key))
        {
            return true;
        }

        // JwtBearer hands over its configuration manager (discovery + JWKS); this is its cached configuration,
        // the same the full check would read.
        return parameters.ConfigurationManager is { } manager
            && Holds((await manager.GetBaseConfigurationAsync(CancellationToken.None)).SigningKeys, key);
    }

    /// <summary>By reference: keys read anew from the JWKS are new objects, and a token they sign is checked in full once.</summary>
    private static bool Holds(IEnumerable<SecurityKey>? keys, SecurityKey key)
    {
        foreach (var candidate in keys ?? [])
        {
            if (ReferenceEquals(candidate, key))
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => _validated?.Dispose();

    private sealed record Validated(JsonWebToken Token, SecurityKey SigningKey, ClaimsIdentity Identity, DateTimeOffset Expires);
}

using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Archives.Gateway.Access;

/// <summary>
/// JwtBearer's own token handler that remembers the tokens it has validated in full, so that a client sending the
/// same token with every request pays for the signature check and claims parsing once: token validation is the
/// largest share of the gateway's own CPU on the pass-through, and IdentityModel caches no results.
/// </summary>
/// <remarks>
/// Note: the whole token string is the key, and a remembered token is accepted only before its <c>exp</c> (no clock
/// skew from memory) and while its signing key is still one the gateway holds, so a withdrawn key stops working as
/// soon as the new JWKS is read. Refused tokens are never remembered; each request gets its own copy of the claims.
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

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Archives.Contracts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Archives.Gateway.Certificates;

/// <summary>
/// Signs certificate payloads as compact JWS (ES256, <c>kid</c> in the header) and checks them.
/// The payload is the certificate's JSON and nothing else (no JWT time claims), so any JOSE library
/// verifies it with the published JWKS alone.
/// </summary>
internal sealed class CertificateSigner(CertificateKeyStore keys)
{
    /// <summary>The payload's JSON: web names, nulls left out, the contract's own converters.</summary>
    public static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        // Chinese as UTF-8, not \u escapes: the payload is read by people with any JOSE tool. (No HTML context here.)
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Serialize(Certificate certificate) => JsonSerializer.Serialize(certificate, PayloadJson);

    public static Certificate Deserialize(string payload) => JsonSerializer.Deserialize<Certificate>(payload, PayloadJson)
        ?? throw new JsonException("The certificate payload is null.");

    /// <summary>Signs the payload with the given key.</summary>
    public static string Sign(string payloadJson, SigningKey key)
        => Handler.CreateToken(payloadJson, new SigningCredentials(key.SecurityKey, SecurityAlgorithms.EcdsaSha256));

    /// <summary>The payload of a JWS whose signature a published key verifies; null when it does not (altered, unknown key, malformed).</summary>
    public async Task<(Certificate Certificate, string KeyId)?> VerifyAsync(string jws, CancellationToken cancellationToken)
    {
        if (jws.Length > CertificateLimits.MaxJwsLength || !Handler.CanReadToken(jws))
        {
            return null;
        }

        JsonWebToken token;
        try
        {
            token = new JsonWebToken(jws);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (token.Kid is not { Length: > 0 } keyId || await keys.FindAsync(keyId, cancellationToken) is not { } key)
        {
            return null;
        }

        var result = await Handler.ValidateTokenAsync(jws, new TokenValidationParameters
        {
            IssuerSigningKey = key.SecurityKey,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
        });
        if (!result.IsValid)
        {
            return null;
        }

        try
        {
            var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
            return (Deserialize(payload), keyId);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            // Signed by us but not a certificate: nothing this gateway issued.
            return null;
        }
    }
}

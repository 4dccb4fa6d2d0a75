using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace Archives.Gateway.Certificates;

/// <summary>A public key in a JWKS (RFC 7517): only the public members, whatever the key object holds.</summary>
internal sealed record PublicJwk(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg)
{
    public static PublicJwk From(SigningKey key)
    {
        var parameters = key.Key.ExportParameters(includePrivateParameters: false);
        return new PublicJwk("EC", "P-256", Base64UrlEncoder.Encode(parameters.Q.X), Base64UrlEncoder.Encode(parameters.Q.Y), key.KeyId, "sig", SecurityAlgorithms.EcdsaSha256);
    }
}

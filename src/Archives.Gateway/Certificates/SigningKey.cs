using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Archives.Gateway.Certificates;

/// <summary>One ES256 signing key.</summary>
internal sealed record SigningKey(string KeyId, DateTimeOffset CreatedAt, ECDsa Key)
{
    public ECDsaSecurityKey SecurityKey { get; } = new(Key) { KeyId = KeyId };
}

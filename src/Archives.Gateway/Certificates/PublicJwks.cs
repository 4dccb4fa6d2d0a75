using System.Text.Json.Serialization;

namespace Archives.Gateway.Certificates;

/// <summary>The JWKS document.</summary>
internal sealed record PublicJwks([property: JsonPropertyName("keys")] IReadOnlyList<PublicJwk> Keys);

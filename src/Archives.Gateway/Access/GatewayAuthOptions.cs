using System.ComponentModel.DataAnnotations;

namespace Archives.Gateway.Access;

/// <summary>
/// The federation's identity server as the gateway sees it (section <c>Gateway:Auth</c>): whose
/// tokens callers present, and where the gateway gets its own node token.
/// </summary>
public sealed class GatewayAuthOptions : IValidatableObject
{
    public const string Section = "Gateway:Auth";

    /// <summary>
    /// The identity server's issuer, exactly as it writes <c>iss</c> (<c>http://127.0.0.1:5100/</c> in the
    /// local federation); discovery, signing keys and the token endpoint are read from there.
    /// </summary>
    [Required(ErrorMessage = "Gateway:Auth:Authority (the identity server's issuer, e.g. https://identity.archives.example/) is required.")]
    public Uri? Authority { get; set; }

    [Required(AllowEmptyStrings = false, ErrorMessage = "Gateway:Auth:Audience is required.")]
    public string Audience { get; set; } = GatewayScopes.Audience;

    /// <summary>
    /// How far the gateway's clock may differ from the identity server's. Note: this lengthens every
    /// token's life by as much, and tokens are not revocable here: keep it small.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Gateway:Auth:ClockSkew is between 00:00:00 and 00:05:00.")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many validated access tokens the gateway remembers (<see cref="CachingJsonWebTokenHandler"/>, a few KB
    /// each), so that a token sent again is not checked in full again until it expires; 0 checks every request in full.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "Gateway:Auth:ValidatedTokenCacheSize is between 0 and 1000000.")]
    public int ValidatedTokenCacheSize { get; set; } = 10_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Authority is null)
        {
            yield break;
        }

        if (!Authority.IsAbsoluteUri || (Authority.Scheme != Uri.UriSchemeHttps && Authority.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult($"Gateway:Auth:Authority '{Authority}' is not an absolute http(s) address.", [nameof(Authority)]);
        }
        else if (!string.IsNullOrEmpty(Authority.Query) || !string.IsNullOrEmpty(Authority.Fragment))
        {
            yield return new ValidationResult("Gateway:Auth:Authority has no query or fragment.", [nameof(Authority)]);
        }
    }
}

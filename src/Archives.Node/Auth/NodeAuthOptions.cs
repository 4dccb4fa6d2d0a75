using System.ComponentModel.DataAnnotations;

namespace Archives.Node.Auth;

/// <summary>
/// Whose tokens the node accepts (configuration section <c>Node:Auth</c>). There is deliberately
/// no setting that turns the check off: tests and the local federation use real tokens.
/// </summary>
internal sealed class NodeAuthOptions : IValidatableObject
{
    public const string Section = "Node:Auth";

    /// <summary>
    /// The identity server's issuer, exactly as it writes <c>iss</c> (<c>http://127.0.0.1:5100/</c> in
    /// the local federation); its discovery document and signing keys are read from there.
    /// </summary>
    [Required(ErrorMessage = "Node:Auth:Authority (the identity server's issuer, e.g. https://identity.archives.example/) is required.")]
    public Uri? Authority { get; set; }

    /// <summary>The audience a token must name: the one the identity server gives the <c>node.api</c> scope.</summary>
    [Required(ErrorMessage = "Node:Auth:Audience is required.")]
    [MinLength(1, ErrorMessage = "Node:Auth:Audience is required.")]
    public string Audience { get; set; } = "archives-node";

    /// <summary>
    /// How far the node's clock may differ from the identity server's. Note: this lengthens every
    /// token's life by as much, and tokens are not revocable at the node: keep it small.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Node:Auth:ClockSkew is between 00:00:00 and 00:05:00.")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Authority is null)
        {
            yield break;
        }

        if (!Authority.IsAbsoluteUri || (Authority.Scheme != Uri.UriSchemeHttps && Authority.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult($"Node:Auth:Authority '{Authority}' is not an absolute http(s) address.", [nameof(Authority)]);
        }
        else if (!string.IsNullOrEmpty(Authority.Query) || !string.IsNullOrEmpty(Authority.Fragment))
        {
            yield return new ValidationResult("Node:Auth:Authority has no query or fragment.", [nameof(Authority)]);
        }
    }
}

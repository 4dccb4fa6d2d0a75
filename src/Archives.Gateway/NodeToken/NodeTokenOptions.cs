using System.ComponentModel.DataAnnotations;

namespace Archives.Gateway.NodeToken;

/// <summary>
/// The gateway's own client at the identity server (section <c>Gateway:NodeToken</c>): nodes accept
/// only its <c>node.api</c> tokens, never a caller's.
/// </summary>
public sealed class NodeTokenOptions
{
    public const string Section = "Gateway:NodeToken";

    [Required(AllowEmptyStrings = false, ErrorMessage = "Gateway:NodeToken:ClientId is required.")]
    public string ClientId { get; set; } = "gateway";

    /// <summary>
    /// The client's secret. Required; in Development it defaults to the dev secret of
    /// <see cref="DevSecretsFile"/>, elsewhere it must not be one of them.
    /// </summary>
    public string? ClientSecret { get; set; }

    [Required(AllowEmptyStrings = false, ErrorMessage = "Gateway:NodeToken:Scope is required.")]
    public string Scope { get; set; } = "node.api";

    /// <summary>A token is renewed this long before it expires (at most half its lifetime before).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Gateway:NodeToken:RenewBefore is between 00:00:01 and 00:10:00.")]
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest one token request (discovery included) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "Gateway:NodeToken:RequestTimeout is between 00:00:01 and 00:01:00.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The dev-only secrets (<c>gateway-config/local/clients.json</c>); by default the nearest one above
    /// the content root or the app. Used for the Development default and to refuse them elsewhere.
    /// </summary>
    public string? DevSecretsFile { get; set; }
}

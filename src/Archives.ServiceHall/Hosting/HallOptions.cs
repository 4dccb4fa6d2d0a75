using System.ComponentModel.DataAnnotations;

namespace Archives.ServiceHall.Hosting;

/// <summary>The service hall's settings (section <c>ServiceHall</c>).</summary>
public sealed class HallOptions
{
    public const string Section = "ServiceHall";

    /// <summary>The gateway's base address.</summary>
    [Required(ErrorMessage = "ServiceHall:Gateway is required.")]
    public Uri Gateway { get; set; } = new("http://127.0.0.1:5000/");

    /// <summary>The identity server (issuer) the clerks sign in with.</summary>
    [Required(ErrorMessage = "ServiceHall:Authority is required.")]
    public Uri Authority { get; set; } = new("http://127.0.0.1:5100/");

    /// <summary>The hall's client at the identity server.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "ServiceHall:ClientId is required.")]
    public string ClientId { get; set; } = "service-hall";

    /// <summary>
    /// The client's secret. In Development the dev secret of <c>gateway-config/local/clients.json</c> by default;
    /// elsewhere required and never one of those.
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The operators' <c>gateway-config</c> folder; by default the nearest one above the app. Its
    /// <c>local/clients.json</c> holds the dev-only secrets: the default in Development, refused elsewhere.
    /// </summary>
    public string? ConfigDirectory { get; set; }

    internal string? DevSecretsFile => ConfigDirectory is null ? null : Path.Combine(ConfigDirectory, "local", "clients.json");

    /// <summary>
    /// The halls' names by division code (e.g. <c>330100</c> → 杭州市民中心), shown to the clerk and printed on the
    /// certificate as where it was issued. In Development filled from <c>gateway-config/local/clerks.json</c>.
    /// </summary>
    public Dictionary<string, string> HallNames { get; set; } = [];

    /// <summary>How long a clerk's hall session lasts without use.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "12:00:00", ErrorMessage = "ServiceHall:SessionIdleTimeout is between 00:01:00 and 12:00:00.")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long before the clerk's access token expires it is renewed with the refresh token: a gateway call started
    /// just before expiry must not arrive with an expired token.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = "ServiceHall:RenewTokensBefore is between 00:00:10 and 01:00:00.")]
    public TimeSpan RenewTokensBefore { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Requests one clerk may make per minute (the hall's own rate limit, before the gateway's).</summary>
    [Range(10, 10_000, ErrorMessage = "ServiceHall:RequestsPerMinute is between 10 and 10000.")]
    public int RequestsPerMinute { get; set; } = 120;
}

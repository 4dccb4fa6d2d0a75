namespace Archives.Identity.Server;

/// <summary>The <c>Identity</c> configuration section.</summary>
internal sealed class IdentityServerOptions
{
    public const string Section = "Identity";

    /// <summary>
    /// The issuer written into every token and the discovery document. Required outside
    /// Development; in Development it defaults to the address of each request.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>The repository's <c>gateway-config</c> folder; found by walking up from the content root when not set.</summary>
    public string? ConfigDirectory { get; set; }

    /// <summary>Clients and scopes (no secrets); default <c>{ConfigDirectory}/clients.json</c>.</summary>
    public string? ClientsFile { get; set; }

    /// <summary>Development only: the local federation's client secrets; default <c>{ConfigDirectory}/local/clients.json</c> in Development.</summary>
    public string? LocalClientsFile { get; set; }

    /// <summary>Development only: the demo clerks; default <c>{ConfigDirectory}/local/clerks.json</c> in Development.</summary>
    public string? ClerksFile { get; set; }

    /// <summary>Client secrets outside Development (<c>Identity:ClientSecrets:zheliban</c>, e.g. from environment variables or a secret store).</summary>
    public Dictionary<string, string> ClientSecrets { get; set; } = [];

    /// <summary>Where the SQLite database and the development keys live; default <c>.data/identity</c> in the repository.</summary>
    public string? DataDirectory { get; set; }

    /// <summary><c>Sqlite</c> or <c>PostgreSQL</c>; PostgreSQL when <c>ConnectionStrings:Identity</c> is set, SQLite otherwise.</summary>
    public DatabaseProvider? DatabaseProvider { get; set; }

    /// <summary>The certificate (PKCS#12) that signs tokens. Required outside Development.</summary>
    public CertificateOptions SigningCertificate { get; set; } = new();

    /// <summary>The certificate (PKCS#12) that encrypts codes and refresh tokens. Required outside Development.</summary>
    public CertificateOptions EncryptionCertificate { get; set; } = new();

    /// <summary>
    /// Access token lifetime. Note: the gateway and nodes validate access tokens locally and do
    /// not see revocations, so this is how long a revoked client or clerk keeps access at most.
    /// </summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Refresh token lifetime: about a clerk's working day.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>Failed sign-ins in a row after which a clerk is locked out.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a clerk stays locked out.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}

internal sealed class CertificateOptions
{
    /// <summary>Path of a PKCS#12 (.pfx) file holding the certificate and its private key.</summary>
    public string? Path { get; set; }

    public string? Password { get; set; }
}

internal enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

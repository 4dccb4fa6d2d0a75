namespace Archives.Gateway.Client;

/// <summary>
/// Where the gateway and its identity server are, and who the app is. Bind it from configuration
/// (e.g. the <c>ArchivesGateway</c> section) or set it in code; the app's client secret belongs in a
/// secret store, never in source. An app that calls the gateway as its signed-in user (the service hall,
/// for the clerk at the window) sets <see cref="AccessTokenProvider"/> instead of the client credentials.
/// </summary>
public sealed class ArchivesGatewayClientOptions
{
    /// <summary>The gateway's base address, e.g. <c>https://gateway.example.gov.cn/</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// The identity server (issuer) whose discovery document names the token endpoint, e.g. <c>https://id.example.gov.cn/</c>.
    /// Not used (nor required) with <see cref="AccessTokenProvider"/>.
    /// </summary>
    public Uri? Authority { get; set; }

    /// <summary>The app's OAuth2 client id (浙里办: <c>zheliban</c>); not used with <see cref="AccessTokenProvider"/>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The app's client secret; not used with <see cref="AccessTokenProvider"/>.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// The access token of the user the app acts for, asked for on every attempt of every call; when set, it is
    /// sent instead of the app's client-credentials token, and <see cref="Authority"/>, <see cref="ClientId"/>,
    /// <see cref="ClientSecret"/> and <see cref="Scopes"/> are not used. A web app that signs its users in with
    /// OpenID Connect returns the signed-in user's current access token (for the audience <c>archives-gateway</c>),
    /// renewed before it expires; the gateway then sees the user (a clerk's id, name and hall) and the scopes
    /// granted to them.
    /// </summary>
    /// <remarks>
    /// The <see cref="IServiceProvider"/> is the scope of the SDK's HTTP message handlers (<c>IHttpClientFactory</c>
    /// makes one per handler lifetime), not the request's: reach the current request through
    /// <c>IHttpContextAccessor</c>. The <see cref="CancellationToken"/> is the call's. A 401 from the gateway comes
    /// back to the app as the call's answer (the SDK cannot renew a user's token); an empty token is an error.
    /// <code>
    /// services.AddHttpContextAccessor();
    /// services.AddArchivesGatewayClient(options =>
    /// {
    ///     options.BaseAddress = new Uri("https://gateway.example.gov.cn/");
    ///     options.AccessTokenProvider = async (services, cancellationToken) =>
    ///         await services.GetRequiredService&lt;IHttpContextAccessor&gt;().HttpContext!.GetTokenAsync("access_token")
    ///         ?? throw new InvalidOperationException("No signed-in user.");
    /// });
    /// </code>
    /// </remarks>
    public Func<IServiceProvider, CancellationToken, ValueTask<string>>? AccessTokenProvider { get; set; }

    /// <summary>
    /// The scopes to ask for with client credentials; the identity server refuses scopes the client may not have. Default:
    /// <c>catalog.read records.search certificates.issue certificates.read</c>.
    /// </summary>
    public IList<string> Scopes { get; set; } = ["catalog.read", "records.search", "certificates.issue", "certificates.read"];

    /// <summary>How long before its expiry a token is renewed (default one minute).</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether the discovery document must come over HTTPS (default true). Note: only a loopback
    /// development identity server may turn this off: whoever could change the discovery document
    /// in transit would receive the client secret.
    /// </summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>How long one attempt may take (default 30 s); issuance waits for the holding archive.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a call may take with all its retries (default 2 min).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many times a safe request is retried after a transient failure (default 3).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// The longest <c>Retry-After</c> the SDK waits out itself (default 30 s). A longer one — a rate limit's window
    /// (429), an outage (503) — comes back to the app at once, as the response with its <c>Retry-After</c>, rather
    /// than as a timeout after <see cref="TotalTimeout"/>.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}

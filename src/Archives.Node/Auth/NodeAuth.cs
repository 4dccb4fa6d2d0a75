using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace Archives.Node.Auth;

/// <summary>
/// The node accepts only the gateway's token: a JWT access token (<c>typ: at+jwt</c>) signed by the
/// federation's identity server, for audience <c>archives-node</c>, unexpired, with scope
/// <c>node.api</c>. It is validated here from the server's discovery document and JWKS, with no
/// call to the server per request.
/// </summary>
/// <remarks>
/// Why <c>JwtBearer</c> and not OpenIddict's validation handler: the tokens are signed, not
/// encrypted, so all the node needs is JWKS validation, which <c>JwtBearer</c> does with every check
/// spelled out in one <see cref="TokenValidationParameters"/> below; it is also what a .NET archive
/// system joining the federation would use, and this node is their example. It has
/// <see cref="JwtBearerOptions.RequireHttpsMetadata"/> built in, and its configuration manager keeps
/// the last keys it fetched when a refresh fails (a short identity outage costs nothing). OpenIddict's
/// handler would add what the node cannot use (introspection, token entries in the server's
/// database, decryption keys) and ties the node to OpenIddict's release train (7.8 needs
/// Microsoft.Extensions.Http.Resilience 10.11.0 exactly).
/// </remarks>
internal static class NodeAuth
{
    /// <summary>The authorization policy of the protected operations.</summary>
    public const string Policy = "node.api";

    /// <summary>The scope only the gateway holds.</summary>
    public const string Scope = "node.api";

    private const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    public static WebApplicationBuilder AddNodeAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NodeAuthOptions>()
            .BindConfiguration(NodeAuthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Before AddJwtBearer, so that it runs before JwtBearer's own post-configuration, which
        // refuses an http authority too but without naming our key.
        builder.Services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, RequireHttpsAuthority>();

        builder.Services.AddAuthentication(Scheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(Scheme)
            .Configure<IOptions<NodeAuthOptions>, IHostEnvironment>((jwt, options, environment) =>
            {
                try
                {
                    Configure(jwt, options.Value, environment);
                }
                catch (OptionsValidationException)
                {
                    // Reported once, by NodeAuthOptions' own start-up validation. Note: left
                    // unconfigured, the handler has no keys and accepts no token.
                }
            })
            .ValidateOnStart();

        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => HasScope(context.User, Scope)));

        // 401 and 403 leave the handlers without a body; UseStatusCodePages writes them as problems.
        builder.Services.Configure<ProblemDetailsOptions>(options =>
        {
            var previous = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                previous?.Invoke(context);
                context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
                {
                    StatusCodes.Status401Unauthorized => "A bearer token from the federation's identity server, for this node's audience with scope node.api, is required; WWW-Authenticate says what was wrong with the one sent.",
                    StatusCodes.Status403Forbidden => "The token is valid but does not carry the node.api scope.",
                    _ => null,
                };
            };
        });
        return builder;
    }

    /// <summary>Whether the <c>scope</c> claim (one space-separated string, or several claims) holds <paramref name="scope"/>.</summary>
    public static bool HasScope(ClaimsPrincipal user, string scope) =>
        user.FindAll("scope").Any(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal));

    private static void Configure(JwtBearerOptions jwt, NodeAuthOptions options, IHostEnvironment environment)
    {
        var issuer = options.Authority!.AbsoluteUri;

        // Discovery at {issuer}.well-known/openid-configuration, then its jwks_uri. Both are fetched
        // on the first request and kept: refreshed after AutomaticRefreshInterval (12 h), or at most
        // every RefreshInterval (5 min) when a token names an unknown key (the server rotated its
        // keys). When a refresh fails, the keys already held stay in use, so an identity outage
        // stops nothing once the node has its keys.
        jwt.Authority = issuer;

        // Note: outside Development the discovery document and the keys come over HTTPS only:
        // whoever could change them in transit could mint tokens this node would accept.
        jwt.RequireHttpsMetadata = !environment.IsDevelopment();
        jwt.BackchannelTimeout = TimeSpan.FromSeconds(10);

        // Claims as the identity server writes them (`scope`, `client_id`, `sub`), not renamed to
        // the WS-Federation URIs.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            // Exactly the configured issuer, not whatever a fetched discovery document names.
            ValidIssuer = issuer,
            ValidAudience = options.Audience,

            // RFC 9068 access tokens only: an ID token or any other JWT the server signs is refused.
            ValidTypes = ["at+jwt", "application/at+jwt"],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = options.ClockSkew,
            NameClaimType = "client_id",
        };
        jwt.Events = new JwtBearerEvents
        {
            // RFC 6750 §3.1: say which scope is missing; JwtBearer sends no WWW-Authenticate with a 403.
            OnForbidden = context =>
            {
                context.Response.Headers.Append(
                    HeaderNames.WWWAuthenticate,
                    $"Bearer error=\"insufficient_scope\", error_description=\"The token does not carry the {Scope} scope.\", scope=\"{Scope}\"");
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>Refuses an http authority outside Development, naming the key.</summary>
    private sealed class RequireHttpsAuthority : IPostConfigureOptions<JwtBearerOptions>
    {
        public void PostConfigure(string? name, JwtBearerOptions options)
        {
            if (name == Scheme && options.RequireHttpsMetadata && options.Authority is { } authority
                && !authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                throw new OptionsValidationException(
                    $"{NodeAuthOptions.Section}:Authority",
                    typeof(NodeAuthOptions),
                    [$"{NodeAuthOptions.Section}:Authority must be an https address outside Development: the keys that sign accepted tokens are read from it."]);
            }
        }
    }
}

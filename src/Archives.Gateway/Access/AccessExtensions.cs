using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace Archives.Gateway.Access;

/// <summary>
/// Who may call the gateway: access tokens of the federation's identity server for <c>archives-gateway</c>,
/// validated locally with JwtBearer (signed JWTs need no more, as in <c>src/Archives.Node/Auth/NodeAuth.cs</c>),
/// and one authorization policy per scope, named as the scope, plus two for the endpoints anyone may call.
/// </summary>
internal static class AccessExtensions
{
    /// <summary>Anonymous callers allowed; a token that is sent must be valid (else 401, never a silent downgrade).</summary>
    public const string AnonymousOrToken = "anonymous-or-token";

    /// <summary>Anonymous callers allowed (at the anonymous rate); a token that is sent must be valid and carry <c>catalog.read</c>.</summary>
    public const string CatalogueReader = "anonymous-or-catalog.read";

    private const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    private static readonly string[] Scopes =
    [
        GatewayScopes.CatalogRead, GatewayScopes.RecordsSearch, GatewayScopes.CertificatesIssue,
        GatewayScopes.CertificatesRead, GatewayScopes.CertificatesRevoke, GatewayScopes.AuditRead,
    ];

    public static WebApplicationBuilder AddGatewayAccess(this WebApplicationBuilder builder)
    {
        builder.Services.AddGatewayAuthOptions();

        // Before AddJwtBearer, so that it runs before JwtBearer's own post-configuration, which
        // refuses an http authority too but without naming our key.
        builder.Services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, RequireHttpsAuthority>();
        builder.Services.AddAuthentication(Scheme).AddJwtBearer();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CachingJsonWebTokenHandler>();
        builder.Services.AddOptions<JwtBearerOptions>(Scheme)
            .Configure<IOptions<GatewayAuthOptions>, IHostEnvironment, IServiceProvider>((jwt, options, environment, services) =>
            {
                try
                {
                    Configure(jwt, options.Value, environment);

                    jwt.TokenHandlers.Clear();
                    jwt.TokenHandlers.Add(services.GetRequiredService<CachingJsonWebTokenHandler>());
                }
                catch (OptionsValidationException)
                {
                    // Reported once, by GatewayAuthOptions' own start-up validation. Note: left
                    // unconfigured, the handler has no keys and accepts no token.
                }
            });

        // The policies name no authentication scheme: JwtBearer is the default, so they judge the authentication
        // middleware's principal; naming it would authenticate a second time on every request.
        var policies = builder.Services.AddAuthorizationBuilder();
        foreach (var scope in Scopes)
        {
            policies.AddPolicy(scope, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(scope)));
        }

        policies.AddPolicy(AnonymousOrToken, policy => policy
            .RequireAssertion(context => IsAuthenticated(context.User) || !SentToken(context)));
        policies.AddPolicy(CatalogueReader, policy => policy
            .AddRequirements(new ScopeRequirement(GatewayScopes.CatalogRead) { AnonymousAllowed = true }));

        // 401 and 403 leave the handlers without a body; UseStatusCodePages writes them as problems.
        builder.Services.Configure<ProblemDetailsOptions>(options =>
        {
            var previous = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                previous?.Invoke(context);
                if (context.ProblemDetails.Status == StatusCodes.Status403Forbidden && context.ProblemDetails.Detail is null
                    && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<SupervisorRequired>() is not null && Caller.IsClerk(context.HttpContext.User))
                {
                    // An ordinary clerk's token has no certificates.revoke: the answer says who can do it.
                    context.ProblemDetails.Title = SupervisorRequired.Title;
                    context.ProblemDetails.Detail = SupervisorRequired.Detail;
                }

                context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
                {
                    StatusCodes.Status401Unauthorized => "A valid bearer token of the federation's identity server for audience archives-gateway is required; WWW-Authenticate says what was wrong with the one sent.",
                    StatusCodes.Status403Forbidden => "The token is valid but does not allow this: WWW-Authenticate names the scope needed.",
                    _ => null,
                };
            };
        });
        return builder;
    }

    /// <summary>
    /// Authentication, rate limits, authorization, after routing (so endpoint policies are known). The rate
    /// limiter partitions by the token's client (so after authentication) and counts requests authorization will
    /// refuse (so before it), which keeps floods of bad tokens at the anonymous rate.
    /// </summary>
    public static WebApplication UseGatewayAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    /// <summary><see cref="GatewayAuthOptions"/>, registered once whichever feature needs them first.</summary>
    internal static IServiceCollection AddGatewayAuthOptions(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(GatewayAuthOptionsMarker)))
        {
            services.AddSingleton<GatewayAuthOptionsMarker>();
            services.AddOptions<GatewayAuthOptions>()
                .BindConfiguration(GatewayAuthOptions.Section)
                .ValidateDataAnnotations()
                .ValidateOnStart();
        }

        return services;
    }

    /// <summary>Whether the <c>scope</c> claim (one space-separated string, or several claims) holds <paramref name="scope"/>.</summary>
    public static bool HasScope(ClaimsPrincipal user, string scope)
    {
        // On every request's authorization: the words are compared in place, not split into strings.
        foreach (var claim in user.FindAll("scope"))
        {
            foreach (var word in claim.Value.AsSpan().Split(' '))
            {
                if (claim.Value.AsSpan()[word].SequenceEqual(scope))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsAuthenticated(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true;

    private static bool SentToken(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http && http.Request.Headers.Authorization.Count > 0;

    private static void Configure(JwtBearerOptions jwt, GatewayAuthOptions options, IHostEnvironment environment)
    {
        var issuer = options.Authority!.AbsoluteUri;

        // Discovery and JWKS are fetched on first use and kept (refreshed every 12 h, or at most every 5 min when a
        // token names an unknown key); a failed refresh keeps the keys already held.
        jwt.Authority = issuer;

        // Note: outside Development the keys come over HTTPS only: whoever could change them in
        // transit could mint tokens the gateway would accept.
        jwt.RequireHttpsMetadata = !environment.IsDevelopment();
        jwt.BackchannelTimeout = TimeSpan.FromSeconds(10);
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
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
            OnForbidden = async context =>
            {
                var needed = await NeededScopesAsync(context.HttpContext);
                context.Response.Headers.Append(
                    HeaderNames.WWWAuthenticate,
                    needed.Count == 0
                        ? "Bearer error=\"insufficient_scope\", error_description=\"The token does not allow this operation.\""
                        : $"Bearer error=\"insufficient_scope\", error_description=\"The token does not allow this operation; it needs {(needed.Count == 1 ? "the scope" : "one of the scopes")} named.\", scope=\"{string.Join(' ', needed)}\"");
            },
        };
    }

    /// <summary>
    /// The scopes the endpoint's policies ask for (<see cref="ScopeRequirement"/>) that the token does not
    /// satisfy: one of them would do. A policy that is not a plain scope (<c>certificate-reader</c>: any of
    /// issue, read, audit) is named by what it needs, never by a guess.
    /// </summary>
    private static async Task<IReadOnlyList<string>> NeededScopesAsync(HttpContext context)
    {
        var provider = context.RequestServices.GetRequiredService<IAuthorizationPolicyProvider>();
        var requirements = new List<ScopeRequirement>();
        foreach (var data in context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>() ?? [])
        {
            var policy = data.Policy is { } name ? await provider.GetPolicyAsync(name) : await provider.GetDefaultPolicyAsync();
            requirements.AddRange(policy?.Requirements.OfType<ScopeRequirement>() ?? []);
        }

        var unmet = requirements.Where(r => !r.IsMetBy(context.User)).ToList();
        return [.. (unmet.Count > 0 ? unmet : requirements).SelectMany(r => r.AnyOf).Distinct(StringComparer.Ordinal)];
    }

    private sealed class GatewayAuthOptionsMarker;

    private sealed class RequireHttpsAuthority : IPostConfigureOptions<JwtBearerOptions>
    {
        public void PostConfigure(string? name, JwtBearerOptions options)
        {
            if (name == Scheme && options.RequireHttpsMetadata && options.Authority is { } authority
                && !authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                throw new OptionsValidationException(
                    $"{GatewayAuthOptions.Section}:Authority",
                    typeof(GatewayAuthOptions),
                    [$"{GatewayAuthOptions.Section}:Authority must be an https address outside Development: the keys that sign accepted tokens are read from it."]);
            }
        }
    }
}

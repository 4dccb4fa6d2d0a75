using Archives.Identity.Clerks;
using Archives.Identity.Clients;
using Archives.Identity.Connect;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Archives.Identity.Server;

internal static class IdentityServerExtensions
{
    /// <summary>
    /// The OpenID Connect server: options, the EF Core store (SQLite or PostgreSQL), OpenIddict,
    /// and the start-up sync of clients, scopes and clerks.
    /// </summary>
    public static WebApplicationBuilder AddIdentityServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IdentityServerOptions>().BindConfiguration(IdentityServerOptions.Section).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<IdentityServerOptions>, IdentityServerDefaults>();
        services.AddSingleton<IValidateOptions<IdentityServerOptions>, IdentityServerValidation>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ServerKeys>();
        services.AddSingleton<ClientCatalog>();
        services.AddSingleton(TimeProvider.System);

        services.AddDbContext<IdentityDb>((provider, options) =>
        {
            UseDatabase(options, provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IOptions<IdentityServerOptions>>().Value);
            options.UseOpenIddict();
        });

        services.AddOpenIddict()
            // Core: applications, authorizations, scopes and tokens live in IdentityDb through EF Core.
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            // Server: the endpoints and flows; keys, issuer and lifetimes come from ServerKeys at run time.
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetUserInfoEndpointUris("connect/userinfo");

                options.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow();

                // Note: a code is worthless without the verifier its client kept, public or not;
                // only S256, since a "plain" challenge is the verifier itself.
                options.RequireProofKeyForCodeExchange();
                options.Configure(server => server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                options.AddEventHandler(RejectUnpermittedScopes.Descriptor);

                options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess);
                options.RegisterClaims(Claims.Subject, Claims.Name, Claims.PreferredUsername, TokenClaims.Hall, TokenClaims.Role, TokenClaims.Categories, TokenClaims.Regions);

                // Note: access tokens are signed JWTs, not encrypted, so the gateway and the nodes
                // validate them from the JWKS alone; they carry no secret, only who may read what.
                options.DisableAccessTokenEncryption();

                var aspNetCore = options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableStatusCodePagesIntegration();

                // Note: plain HTTP is accepted only in Development, where the federation runs on loopback.
                if (builder.Environment.IsDevelopment())
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            // Validation: the bearer scheme for any API hosted here, keys read in-process (the gateway and nodes use the JWKS).
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.UseAspNetCore();
            });

        services.AddScoped<IPasswordHasher<Clerk>, PasswordHasher<Clerk>>();
        services.AddScoped<ClientSync>();
        services.AddScoped<ClerkSync>();
        services.AddScoped<ClerkSignIn>();
        services.AddSingleton<StartupSync>();
        services.AddHostedService(provider => provider.GetRequiredService<StartupSync>());
        return builder;
    }

    private static void UseDatabase(DbContextOptionsBuilder options, IConfiguration configuration, IdentityServerOptions identity)
    {
        var connectionString = configuration.GetConnectionString("Identity");
        var provider = identity.DatabaseProvider ?? (string.IsNullOrWhiteSpace(connectionString) ? DatabaseProvider.Sqlite : DatabaseProvider.PostgreSQL);
        switch (provider)
        {
            case DatabaseProvider.PostgreSQL:
                options.UseNpgsql(connectionString ?? throw new InvalidOperationException("Identity:DatabaseProvider is PostgreSQL but ConnectionStrings:Identity is not set."));
                break;
            default:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    Directory.CreateDirectory(identity.DataDirectory!);
                    connectionString = $"Data Source={Path.Combine(identity.DataDirectory!, "identity.db")}";
                }

                options.UseSqlite(connectionString);
                break;
        }
    }
}

using System.Globalization;
using System.Security.Claims;
using Archives.ServiceHall.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Archives.ServiceHall.Access;

/// <summary>
/// Clerks sign in at the identity server (authorization code + PKCE, the hall a confidential client).
/// The browser holds only a cookie naming a server-side session (<see cref="SessionTickets"/>): the
/// access, refresh and identity tokens never leave the server.
/// </summary>
internal static class HallSignIn
{
    public static WebApplicationBuilder AddHallSignIn(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            // Sessions (and so tokens) shared by several hall instances, and the keys that encrypt them: an instance
            // with keys of its own could read neither another's session cookie nor its stored tickets and searches.
            builder.Services.AddStackExchangeRedisCache(o => o.Configuration = redis);
            var keys = new Lazy<StackExchange.Redis.ConnectionMultiplexer>(() => StackExchange.Redis.ConnectionMultiplexer.Connect(redis));
            builder.Services.AddDataProtection()
                .SetApplicationName("Archives.ServiceHall")
                .PersistKeysToStackExchangeRedis(() => keys.Value.GetDatabase(), "hall:data-protection-keys");
        }
        else
        {
            builder.Services.AddDistributedMemoryCache();
        }

        builder.Services.AddSingleton<SessionTickets>();
        builder.Services.AddSingleton<TokenRenewal>();
        builder.Services.AddSingleton<FormDrafts>();
        var development = builder.Environment.IsDevelopment();

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "__hall_session";
                o.Cookie.HttpOnly = true;
                // Lax, not Strict: the identity server's redirect back must carry the cookie of the sign-in's correlation.
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<TokenRenewal>().RenewIfDueAsync(context);
            })
            .AddOpenIdConnect(o =>
            {
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.Scope.Clear();
                foreach (var scope in ClerkScopes)
                {
                    o.Scope.Add(scope);
                }

                // The code comes back in the query of a top-level redirect (GET), not by form_post: a form posted from the
                // identity server's site carries no SameSite=Lax cookie, and SameSite=None needs Secure, which a loopback
                // hall on plain HTTP cannot have (Chromium then drops the correlation cookie). PKCE binds the code.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.CorrelationCookie.SameSite = o.NonceCookie.SameSite = SameSiteMode.Lax;
                // The code comes back in the query of a top-level redirect (PKCE protects it), so the correlation and nonce
                // cookies can be SameSite=Lax: a form_post from the identity server's origin would need SameSite=None, which
                // browsers refuse without Secure, i.e. on the local federation's plain HTTP.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.CorrelationCookie.SameSite = o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.DisableTelemetry = true;
                // A sign-in that cannot complete (an old callback opened again, the identity server refusing): a page that
                // says so and offers to sign in again, rather than "系统出错".
                o.Events.OnRemoteFailure = context =>
                {
                    context.HandleResponse();
                    context.Response.Redirect("/Error?status=401");
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToIdentityProvider = async context =>
                {
                    // The identity server's page in the clerk's language.
                    context.ProtocolMessage.UiLocales = CultureInfo.CurrentUICulture.Name;
                    context.ProtocolMessage.SetParameter("lang", CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : null);
                    // A form sent after the session ended is kept and offered again after sign-in.
                    await context.HttpContext.RequestServices.GetRequiredService<FormDrafts>().KeepAsync(context.HttpContext, context.Properties);
                };
            });
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IOptions<HallOptions>>((o, hall) =>
            {
                o.Authority = hall.Value.Authority.AbsoluteUri;
                o.ClientId = hall.Value.ClientId;
                o.ClientSecret = hall.Value.ClientSecret;
                // Note: plain HTTP only for a loopback identity server in Development.
                o.RequireHttpsMetadata = !(development && hall.Value.Authority.IsLoopback);
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionTickets, IOptions<HallOptions>>((o, tickets, hall) =>
            {
                o.SessionStore = tickets;
                o.ExpireTimeSpan = hall.Value.SessionIdleTimeout;
            });

        // The forms' antiforgery cookie, like every cookie of the hall: HttpOnly, Lax, and Secure outside Development
        // (also behind a proxy that ends TLS, where the request itself looks like plain HTTP).
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "__hall_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });

        builder.Services.AddAuthorization(o => o.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>
    /// What the hall asks for. Note: <c>certificates.revoke</c> is asked for every clerk and granted by the identity
    /// server to supervisors only; the gateway checks it and the supervisor role again.
    /// </summary>
    public static readonly string[] ClerkScopes =
        ["openid", "profile", "offline_access", "catalog.read", "records.search", "certificates.issue", "certificates.read", "certificates.revoke"];

    public static IEndpointRouteBuilder MapHallAccess(this IEndpointRouteBuilder app)
    {
        // Sign-out ends the hall's session and, through end-session with the id token, the identity server's.
        app.MapPost("/signout", async (HttpContext context, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) =>
        {
            // No form is bound here, so the antiforgery middleware would only note a bad token: refuse it (400 page).
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignOutAsync(OpenIdConnectDefaults.AuthenticationScheme, new AuthenticationProperties { RedirectUri = "/" });
            return Results.Empty;
        });

        // The language switch: a form post (antiforgery) that sets the framework's culture cookie.
        app.MapPost("/culture", (HttpContext context, [Microsoft.AspNetCore.Mvc.FromForm] string? lang, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            var culture = lang == "en" ? HallDefaults.English : HallDefaults.Chinese;
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = context.Request.IsHttps || !context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment() });
            return Results.LocalRedirect(returnUrl is { Length: > 0 } url && Uri.IsWellFormedUriString(url, UriKind.Relative) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) ? url : "/");
        }).AllowAnonymous();
        return app;
    }
}

/// <summary>The signed-in clerk, from the identity token's claims.</summary>
public sealed record Clerk(string Id, string Name, string UserName, string Hall, bool IsSupervisor)
{
    public static Clerk From(ClaimsPrincipal user) => new(
        user.FindFirstValue("sub") ?? "",
        user.FindFirstValue("name") ?? "",
        user.FindFirstValue("preferred_username") ?? "",
        user.FindFirstValue("hall") ?? "",
        user.FindFirstValue("archives_role") == "supervisor");
}

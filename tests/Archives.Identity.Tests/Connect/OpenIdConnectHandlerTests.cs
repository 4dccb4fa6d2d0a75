using System.Net;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Archives.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Archives.Identity.Tests.Connect;

/// <summary>
/// The service-hall client as a server-side web app uses it: ASP.NET Core's OpenID Connect handler
/// (code + PKCE, form_post response, saved tokens, user info) in a small app on a random loopback
/// port, which the identity server knows from a copy of gateway-config whose service-hall URIs name
/// that port (as the hall's browser tests pass one); a clerk's browser driven by hand between them.
/// </summary>
public sealed partial class OpenIdConnectHandlerTests
{
    private static readonly (string UserName, string Password, string Hall, string DisplayName) Supervisor = IdentityServerHost.Clerk("hz-supervisor");

    [Theory]
    [InlineData(OpenIdConnectRedirectBehavior.RedirectGet)]
    [InlineData(OpenIdConnectRedirectBehavior.FormPost)]
    public async Task Handler_SignsInWithTokensAndUserInfo_ThenEndSessionEndsTheIdentitySession(OpenIdConnectRedirectBehavior signOutMethod)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var hall = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        var config = CopyOfConfigFor(hall);
        try
        {
            await using var identity = new IdentityServerHost("Development", new()
            {
                ["Identity:ConfigDirectory"] = config,
                ["Identity:ClientsFile"] = Path.Combine(config, "clients.json"),
                ["Identity:LocalClientsFile"] = Path.Combine(config, "local", "clients.json"),
                ["Identity:ClerksFile"] = Path.Combine(config, "local", "clerks.json"),
            });
            await identity.InitializeAsync();
            await using var app = HallApp(hall, identity.Address, signOutMethod);
            await app.StartAsync(cancellation);
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new() }) { Timeout = TimeSpan.FromSeconds(30) };

            // The hall sends the clerk to the identity server, which sends them to its sign-in page.
            using var challenge = await browser.GetAsync(new Uri(hall, "me"), cancellation);
            var authorize = challenge.Headers.Location!;
            Assert.Equal(new Uri(identity.Address, "connect/authorize").AbsoluteUri, authorize.GetLeftPart(UriPartial.Path));
            using var toSignIn = await browser.GetAsync(authorize, cancellation);
            var signInPage = new Uri(identity.Address, toSignIn.Headers.Location!);
            var page = await browser.GetStringAsync(signInPage, cancellation);
            using var posted = await browser.PostAsync(signInPage, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = ClerkCodeFlow.HiddenInput(page, "__RequestVerificationToken"),
                ["ReturnUrl"] = WebUtility.HtmlDecode(ClerkCodeFlow.HiddenInput(page, "ReturnUrl")),
                ["UserName"] = Supervisor.UserName,
                ["Password"] = Supervisor.Password,
            }), cancellation);
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

            // The code comes back by form_post (the handler's default response mode), to the port of the copied config.
            using var back = await browser.GetAsync(new Uri(identity.Address, posted.Headers.Location!), cancellation);
            var (action, fields) = await FormOf(back);
            Assert.Equal(new Uri(hall, "signin-oidc"), action);
            using var callback = await browser.PostAsync(action, new FormUrlEncodedContent(fields), cancellation);
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
            Assert.Equal("/me", callback.Headers.Location!.OriginalString);
            var me = JsonNode.Parse(await browser.GetStringAsync(new Uri(hall, "me"), cancellation))!;

            Assert.Equal("supervisor", (string?)me["archives_role"]);
            Assert.Equal("330100", (string?)me["hall"]);
            Assert.Equal(Supervisor.DisplayName, (string?)me["name"]);
            Assert.True((bool)me["userInfo"]!, "the handler's claims should include what only user info says");
            Assert.True((bool)me["refreshToken"]!);
            Assert.Contains("certificates.revoke", ((string?)me["scope"])!.Split(' '));

            // Sign-out: the handler's end-session request with id_token_hint, back to the signed-out callback with its state.
            using var signOut = await browser.GetAsync(new Uri(hall, "signout"), cancellation);
            using var endSession = signOutMethod == OpenIdConnectRedirectBehavior.RedirectGet
                ? await browser.GetAsync(signOut.Headers.Location, cancellation)
                : await PostFormAsync(browser, signOut, cancellation);
            Assert.Equal(HttpStatusCode.Redirect, endSession.StatusCode);
            var signedOut = endSession.Headers.Location!;
            Assert.Equal(new Uri(hall, "signout-callback-oidc").AbsoluteUri, signedOut.GetLeftPart(UriPartial.Path));
            using var signedOutCallback = await browser.GetAsync(signedOut, cancellation);
            using var afterwards = await browser.GetAsync(authorize, cancellation);

            Assert.Equal(HttpStatusCode.Redirect, signedOutCallback.StatusCode);
            Assert.Equal(new Uri(hall, "signed-out"), new Uri(hall, signedOutCallback.Headers.Location!));
            Assert.Equal("/account/signin", new Uri(identity.Address, afterwards.Headers.Location!).AbsolutePath);
        }
        finally
        {
            IdentityServerHost.DeleteQuietly(config);
        }
    }

    /// <summary>The least of a hall: cookie session, the OpenID Connect handler as the real hall sets it up, a page that says who signed in.</summary>
    private static WebApplication HallApp(Uri address, Uri authority, OpenIdConnectRedirectBehavior signOutMethod)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(address.AbsoluteUri);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                o.Authority = authority.AbsoluteUri;
                o.RequireHttpsMetadata = false;
                o.ClientId = ClerkCodeFlow.ClientId;
                o.ClientSecret = IdentityServerHost.SecretOf(ClerkCodeFlow.ClientId);
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                // Plain HTTP on loopback: the correlation and nonce cookies' default (SameSite=None,
                // so Secure) would not come back over http. Lax is enough: the form_post from the
                // identity server's port to the hall's is same-site (ports do not count).
                o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.SignedOutRedirectUri = "/signed-out";
                o.SignedOutCallbackPath = "/signout-callback-oidc";
                o.SignOutScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.AuthenticationMethod = OpenIdConnectRedirectBehavior.RedirectGet;
                o.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    // Per request, since the handler's AuthenticationMethod covers sign-in too.
                    context.Options.AuthenticationMethod = signOutMethod;
                    return Task.CompletedTask;
                };
                o.Scope.Clear();
                foreach (var scope in "openid profile offline_access records.search certificates.issue certificates.read certificates.revoke".Split(' '))
                {
                    o.Scope.Add(scope);
                }

                // Note which claims came from user info, to see that the handler called it.
                o.ClaimActions.MapCustomJson("from_userinfo", json => json.TryGetProperty("preferred_username", out _) ? "yes" : null);
            });
        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("me", async (HttpContext context) =>
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                await context.ChallengeAsync();
                return Results.Empty;
            }

            var access = await context.GetTokenAsync("access_token");
            var scope = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(access).GetClaim("scope").Value;
            return Results.Json(new Dictionary<string, object?>
            {
                ["name"] = context.User.FindFirstValue("name"),
                ["hall"] = context.User.FindFirstValue("hall"),
                ["archives_role"] = context.User.FindFirstValue("archives_role"),
                ["userInfo"] = context.User.HasClaim("from_userinfo", "yes"),
                ["refreshToken"] = await context.GetTokenAsync("refresh_token") is { Length: > 0 },
                ["scope"] = scope,
            });
        });
        app.MapGet("signout", () => Results.SignOut(new AuthenticationProperties(), [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapGet("signed-out", () => "signed out");
        return app;
    }

    /// <summary>A copy of the repository's gateway-config whose service-hall redirect URIs name the hall's address.</summary>
    private static string CopyOfConfigFor(Uri hall)
    {
        var copy = Directory.CreateTempSubdirectory("archives-gateway-config-").FullName;
        Directory.CreateDirectory(Path.Combine(copy, "local"));
        File.Copy(Path.Combine(IdentityServerHost.ConfigDirectory, "local", "clients.json"), Path.Combine(copy, "local", "clients.json"));
        File.Copy(Path.Combine(IdentityServerHost.ConfigDirectory, "local", "clerks.json"), Path.Combine(copy, "local", "clerks.json"));
        var clients = JsonNode.Parse(File.ReadAllText(Path.Combine(IdentityServerHost.ConfigDirectory, "clients.json")))!;
        var serviceHall = clients["clients"]!.AsArray().Single(c => (string?)c!["clientId"] == ClerkCodeFlow.ClientId)!;
        serviceHall["redirectUris"] = new JsonArray(new Uri(hall, "signin-oidc").AbsoluteUri);
        serviceHall["postLogoutRedirectUris"] = new JsonArray(new Uri(hall, "signout-callback-oidc").AbsoluteUri);
        File.WriteAllText(Path.Combine(copy, "clients.json"), clients.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return copy;
    }

    /// <summary>An auto-submitting HTML form (form_post): where it goes and its fields.</summary>
    private static async Task<(Uri Action, Dictionary<string, string> Fields)> FormOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var action = FormAction().Match(html);
        Assert.True(action.Success, $"No form in: {html}");
        var fields = HiddenField().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        return (new Uri(WebUtility.HtmlDecode(action.Groups["action"].Value)), fields);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, HttpResponseMessage page, CancellationToken cancellation)
    {
        var (action, fields) = await FormOf(page);
        Assert.Contains("id_token_hint", fields.Keys);
        return await browser.PostAsync(action, new FormUrlEncodedContent(fields), cancellation);
    }

    [GeneratedRegex("""<form[^>]*action=["'](?<action>[^"']*)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("""<input[^>]*type=["']hidden["'][^>]*name=["'](?<name>[^"']*)["'][^>]*value=["'](?<value>[^"']*)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenField();
}

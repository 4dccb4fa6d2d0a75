using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;

namespace Archives.Identity.Tests.Connect;

/// <summary>
/// Drives the authorization code flow with PKCE as the service hall and a clerk's browser do:
/// plain HTTP requests, cookies kept, redirects followed by hand so each step can be checked.
/// </summary>
internal sealed partial class ClerkBrowser(IdentityServerHost server) : IDisposable
{
    public const string ClientId = "service-hall";
    public const string RedirectUri = "http://127.0.0.1:5200/signin-oidc";

    private readonly HttpClient _browser = server.CreateBrowser();

    public HttpClient Http => _browser;

    public string CodeVerifier { get; } = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public string CodeChallenge => Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(CodeVerifier)));

    public string State { get; } = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The authorization request URL the service hall redirects the clerk to.</summary>
    public string AuthorizeUrl(string scope = "openid profile offline_access records.search certificates.issue", bool withChallenge = true)
    {
        var parameters = new Parameters
        {
            { "client_id", ClientId },
            { "response_type", "code" },
            { "redirect_uri", RedirectUri },
            { "scope", scope },
            { "state", State },
        };
        if (withChallenge)
        {
            parameters.Add("code_challenge", CodeChallenge);
            parameters.Add("code_challenge_method", "S256");
        }

        return new RequestUrl(new Uri(server.Address, "connect/authorize").ToString()).Create(parameters);
    }

    /// <summary>GET /connect/authorize, sign in on the page it sends to, follow back: the code, or null when there is none.</summary>
    public async Task<SignInResult> SignInAsync(string userName, string password, string? authorizeUrl = null)
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var authorize = await _browser.GetAsync(authorizeUrl ?? AuthorizeUrl(), cancellation);
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var signInPage = authorize.Headers.Location!;
        Assert.Equal("/account/signin", signInPage.IsAbsoluteUri ? signInPage.AbsolutePath : signInPage.OriginalString.Split('?')[0]);

        var page = await _browser.GetStringAsync(signInPage, cancellation);
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenInput(page, "__RequestVerificationToken"),
            ["ReturnUrl"] = WebUtility.HtmlDecode(HiddenInput(page, "ReturnUrl")),
            ["UserName"] = userName,
            ["Password"] = password,
        };
        using var posted = await _browser.PostAsync(signInPage, new FormUrlEncodedContent(form), cancellation);
        var postedBody = await posted.Content.ReadAsStringAsync(cancellation);
        if (posted.StatusCode != HttpStatusCode.Redirect)
        {
            return new SignInResult(null, posted.StatusCode, postedBody);
        }

        using var back = await _browser.GetAsync(posted.Headers.Location, cancellation);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        return new SignInResult(CodeFrom(back.Headers.Location!), posted.StatusCode, postedBody);
    }

    /// <summary>The code in a redirect to the service hall, after checking it goes there with our state.</summary>
    public string CodeFrom(Uri redirect)
    {
        Assert.StartsWith(RedirectUri + "?", redirect.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(redirect.Query);
        Assert.Equal(State, query["state"]);
        Assert.Null(query["error"]);
        return query["code"]!;
    }

    /// <summary>The service hall's back-channel token request.</summary>
    public async Task<TokenResponse> RedeemAsync(string code, string? codeVerifier = null)
    {
        using var http = server.CreateClient();
        var discovery = await http.DiscoverAsync();
        return await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = ClientId,
            ClientSecret = IdentityServerHost.SecretOf(ClientId),
            Code = code,
            RedirectUri = RedirectUri,
            CodeVerifier = codeVerifier ?? CodeVerifier,
        }, TestContext.Current.CancellationToken);
    }

    public static string HiddenInput(string html, string name)
    {
        var match = Regex.Match(html, $"<input[^>]*name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"");
        Assert.True(match.Success, $"The page has no hidden input {name}.");
        return match.Groups[1].Value;
    }

    public void Dispose() => _browser.Dispose();
}

internal sealed record SignInResult(string? Code, HttpStatusCode PageStatus, string PageBody);

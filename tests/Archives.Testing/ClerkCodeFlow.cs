using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;

namespace Archives.Testing;

/// <summary>
/// The authorization code flow with PKCE of the <c>service-hall</c> client, as the hall's server and a
/// clerk's browser drive it: <c>/connect/authorize</c>, the identity server's sign-in page
/// (<c>/account/signin</c>, with its antiforgery token), back to the authorization endpoint, the code
/// in the redirect to the hall's registered redirect URI (read from the redirect, never requested),
/// and the hall's back-channel token request with its secret and the code verifier. Plain HTTP with
/// cookies kept and redirects followed by hand, so that each step can be checked; a step that goes
/// elsewhere than the flow expects throws, saying what came instead.
/// </summary>
/// <param name="issuer">The identity server's address.</param>
/// <param name="clientSecret">The service hall's secret.</param>
/// <param name="redirectUri">The hall's redirect URI, as registered for the client.</param>
public sealed partial class ClerkCodeFlow(Uri issuer, string clientSecret, Uri redirectUri) : IDisposable
{
    /// <summary>The client clerks sign in through.</summary>
    public const string ClientId = "service-hall";

    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() })
    {
        BaseAddress = issuer,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The clerk's browser: keeps the identity server's cookies (the clerk's session), follows no redirects.</summary>
    public HttpClient Browser => _browser;

    /// <summary>The hall's redirect URI that codes are sent to.</summary>
    public Uri RedirectUri { get; } = redirectUri;

    /// <summary>The PKCE code verifier the hall keeps (43 characters of base64url).</summary>
    public string CodeVerifier { get; } = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The S256 challenge of <see cref="CodeVerifier"/>.</summary>
    public string CodeChallenge => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(CodeVerifier)));

    /// <summary>The state the hall sends and expects back.</summary>
    public string State { get; } = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The authorization request URL (absolute) the hall redirects the clerk to.</summary>
    /// <param name="scope">Space-separated scopes.</param>
    /// <param name="withChallenge">False to leave out the PKCE challenge (which the server must refuse).</param>
    public string AuthorizeUrl(string scope, bool withChallenge = true)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("client_id", ClientId),
            new("response_type", "code"),
            new("redirect_uri", RedirectUri.AbsoluteUri),
            new("scope", scope),
            new("state", State),
        };
        if (withChallenge)
        {
            parameters.Add(new("code_challenge", CodeChallenge));
            parameters.Add(new("code_challenge_method", "S256"));
        }

        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return new Uri(issuer, "connect/authorize").AbsoluteUri + "?" + query;
    }

    /// <summary>
    /// Opens <paramref name="authorizeUrl"/>, signs in on the page it sends to, follows back to the
    /// authorization endpoint: the code, or no code (and the page's status and text) when the sign-in
    /// page refused the clerk.
    /// </summary>
    public async Task<ClerkSignInResult> SignInAsync(string userName, string password, string authorizeUrl, CancellationToken cancellationToken = default)
    {
        using var authorize = await _browser.GetAsync(authorizeUrl, cancellationToken);
        var signInPage = await ExpectRedirectAsync(authorize, "the authorization request");
        var signInPath = signInPage.IsAbsoluteUri ? signInPage.AbsolutePath : signInPage.OriginalString.Split('?')[0];
        if (signInPath != "/account/signin")
        {
            throw new InvalidOperationException($"The authorization request sent a clerk without a session to {signInPage}, not to /account/signin.");
        }

        var page = await _browser.GetStringAsync(signInPage, cancellationToken);
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenInput(page, "__RequestVerificationToken"),
            ["ReturnUrl"] = WebUtility.HtmlDecode(HiddenInput(page, "ReturnUrl")),
            ["UserName"] = userName,
            ["Password"] = password,
        };
        using var content = new FormUrlEncodedContent(form);
        using var posted = await _browser.PostAsync(signInPage, content, cancellationToken);
        var postedBody = await posted.Content.ReadAsStringAsync(cancellationToken);
        if (posted.StatusCode != HttpStatusCode.Redirect)
        {
            return new ClerkSignInResult(null, posted.StatusCode, postedBody);
        }

        using var back = await _browser.GetAsync(posted.Headers.Location, cancellationToken);
        return new ClerkSignInResult(CodeFrom(await ExpectRedirectAsync(back, "the authorization request after signing in")), posted.StatusCode, postedBody);
    }

    /// <summary>The code in a redirect to the hall, after checking that it goes to the redirect URI with this flow's state and no error.</summary>
    public string CodeFrom(Uri redirect)
    {
        if (!redirect.IsAbsoluteUri || redirect.GetLeftPart(UriPartial.Path) != RedirectUri.GetLeftPart(UriPartial.Path))
        {
            throw new InvalidOperationException($"The authorization endpoint redirected to {redirect}, not to the hall's {RedirectUri}.");
        }

        var query = HttpUtility.ParseQueryString(redirect.Query);
        if (query["error"] is { } error)
        {
            throw new InvalidOperationException($"The authorization endpoint answered the hall with {error}: {query["error_description"]}");
        }

        if (query["state"] != State)
        {
            throw new InvalidOperationException($"The authorization endpoint returned the state '{query["state"]}', not '{State}'.");
        }

        return query["code"] ?? throw new InvalidOperationException($"The redirect {redirect} carries no code.");
    }

    /// <summary>The hall's back-channel token request: the code, its secret and the code verifier.</summary>
    /// <param name="code">The code from <see cref="SignInAsync"/>.</param>
    /// <param name="codeVerifier">Another verifier than <see cref="CodeVerifier"/> (which the server must refuse).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ClerkTokenResponse> RedeemAsync(string code, string? codeVerifier = null, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ClientId,
            ["client_secret"] = clientSecret,
            ["code"] = code,
            ["redirect_uri"] = RedirectUri.AbsoluteUri,
            ["code_verifier"] = codeVerifier ?? CodeVerifier,
        });
        using var response = await http.PostAsync(new Uri(issuer, "connect/token"), content, cancellationToken);
        return ClerkTokenResponse.Parse(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>The whole flow for one clerk: sign in, redeem the code; throws unless the server issued tokens.</summary>
    public async Task<ClerkTokenResponse> GetTokensAsync(string userName, string password, string scope, CancellationToken cancellationToken = default)
    {
        var signIn = await SignInAsync(userName, password, AuthorizeUrl(scope), cancellationToken);
        if (signIn.Code is null)
        {
            throw new InvalidOperationException($"The sign-in page refused the clerk '{userName}' ({(int)signIn.PageStatus}).");
        }

        var tokens = await RedeemAsync(signIn.Code, cancellationToken: cancellationToken);
        return tokens.AccessToken is null
            ? throw new InvalidOperationException($"The identity server refused tokens to the clerk '{userName}' for '{scope}': {(int)tokens.Status} {tokens.Body}")
            : tokens;
    }

    /// <summary>The value of a hidden input of an HTML form.</summary>
    public static string HiddenInput(string html, string name)
    {
        var match = Regex.Match(html, $"<input[^>]*name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"The page has no hidden input {name}.");
    }

    /// <summary>The first redirect URI of the service hall in a <c>gateway-config</c> folder's <c>clients.json</c>.</summary>
    public static Uri RedirectUriIn(string configDirectory)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(configDirectory, "clients.json")));
        var client = document.RootElement.GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == ClientId);
        return new Uri(client.GetProperty("redirectUris")[0].GetString()!);
    }

    /// <summary>The password of a demo clerk in a <c>gateway-config</c> folder's <c>local/clerks.json</c>.</summary>
    public static string PasswordIn(string configDirectory, string userName)
    {
        var path = Path.Combine(configDirectory, "local", "clerks.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var clerk in document.RootElement.GetProperty("clerks").EnumerateArray())
        {
            if (clerk.GetProperty("userName").GetString() == userName)
            {
                return clerk.GetProperty("password").GetString()!;
            }
        }

        throw new ArgumentException($"No clerk '{userName}' in {path}.", nameof(userName));
    }

    public void Dispose() => _browser.Dispose();

    private static async Task<Uri> ExpectRedirectAsync(HttpResponseMessage response, string what)
    {
        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location)
        {
            return location;
        }

        var body = await response.Content.ReadAsStringAsync();
        throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}, not a redirect: {body[..Math.Min(body.Length, 500)]}");
    }
}

/// <summary>What the sign-in page did: the code when the clerk got through, and the page's answer to the posted form.</summary>
public sealed record ClerkSignInResult(string? Code, HttpStatusCode PageStatus, string PageBody);

/// <summary>The token endpoint's answer to the hall: the tokens, or the OAuth error.</summary>
public sealed record ClerkTokenResponse(HttpStatusCode Status, string Body, string? AccessToken, string? IdentityToken, string? RefreshToken, TimeSpan? ExpiresIn, string? Scope, string? Error)
{
    /// <summary>Whether the server answered with an error rather than tokens.</summary>
    public bool IsError => AccessToken is null;

    internal static ClerkTokenResponse Parse(HttpStatusCode status, string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        TimeSpan? expiresIn = root.TryGetProperty("expires_in", out var seconds) && seconds.ValueKind == JsonValueKind.Number ? TimeSpan.FromSeconds(seconds.GetInt32()) : null;
        return status == HttpStatusCode.OK
            ? new(status, body, Text("access_token"), Text("id_token"), Text("refresh_token"), expiresIn, Text("scope"), null)
            : new(status, body, null, null, null, null, null, Text("error") ?? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

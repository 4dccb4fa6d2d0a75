using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>
/// Real access tokens of the demo clerks (gateway-config/local/clerks.json), from the project's identity
/// server by the service hall's authorization code flow with PKCE, signing in on its page as a browser
/// would. One token per clerk for the test run.
/// </summary>
internal static partial class ClerkTokens
{
    public const string RedirectUri = "http://127.0.0.1:5200/signin-oidc";

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Tokens = new();

    /// <summary>The demo clerk of a hall: user name and password.</summary>
    public static (string UserName, string Password) ClerkOf(string hall) => hall switch
    {
        "330100" => ("hz-clerk", "HqsuCvAA8T2b82ge"),
        "330106" => ("xihu-clerk", "PzswHtDm5JfAt4gL"),
        "330200" => ("nb-clerk", "CReRgyLRgRwENdYR"),
        _ => throw new ArgumentException($"No demo clerk at hall {hall}.", nameof(hall)),
    };

    public static Task<string> ForHallAsync(string hall)
        => Tokens.GetOrAdd(hall, h => new Lazy<Task<string>>(() => SignInAsync(ClerkOf(h)))).Value;

    private static async Task<string> SignInAsync((string UserName, string Password) clerk)
    {
        var issuer = Identity.Issuer;
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { Timeout = TimeSpan.FromSeconds(30) };
        var discovery = (await browser.GetFromJsonAsync<JsonNode>(new Uri(issuer, ".well-known/openid-configuration")))!;
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = $"{(string)discovery["authorization_endpoint"]!}?client_id=service-hall&response_type=code"
            + $"&redirect_uri={Uri.EscapeDataString(RedirectUri)}&scope={Uri.EscapeDataString("openid profile certificates.issue certificates.read")}"
            + $"&state=s&code_challenge={challenge}&code_challenge_method=S256";

        using var toSignIn = await browser.GetAsync(authorize);
        var signIn = new Uri(issuer, toSignIn.Headers.Location!);
        var page = await browser.GetStringAsync(signIn);
        using var posted = await browser.PostAsync(signIn, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Hidden(page, "__RequestVerificationToken"),
            ["ReturnUrl"] = WebUtility.HtmlDecode(Hidden(page, "ReturnUrl")),
            ["UserName"] = clerk.UserName,
            ["Password"] = clerk.Password,
        }));
        using var back = await browser.GetAsync(new Uri(issuer, posted.Headers.Location!));
        var code = System.Web.HttpUtility.ParseQueryString(back.Headers.Location!.Query)["code"]
            ?? throw new InvalidOperationException($"No authorization code for {clerk.UserName}: {back.Headers.Location}");

        using var token = await browser.PostAsync((string)discovery["token_endpoint"]!, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = "service-hall",
            ["client_secret"] = Identity.SecretOf("service-hall"),
        }));
        token.EnsureSuccessStatusCode();
        return (string)(await token.Content.ReadFromJsonAsync<JsonNode>())!["access_token"]!;
    }

    private static string Hidden(string html, string name)
    {
        var match = Regex.Match(html, $"<input[^>]*name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"The sign-in page has no {name}.");
    }
}

using Archives.Testing;
using Duende.IdentityModel.Client;

namespace Archives.Identity.Tests.Connect;

/// <summary>
/// The service hall and a clerk's browser in the authorization code flow with PKCE, against an
/// in-process server: the browser side is the shared <see cref="ClerkCodeFlow"/> (which
/// <c>IdentityServerFixture.GetClerkTokenAsync</c> also uses); the token request is made with an
/// independent OIDC client (Duende.IdentityModel), so that the shared flow is checked too.
/// </summary>
internal sealed class ClerkBrowser(IdentityServerHost server) : IDisposable
{
    public const string ClientId = ClerkCodeFlow.ClientId;
    public const string RedirectUri = "http://127.0.0.1:5200/signin-oidc";
    public const string DefaultScope = "openid profile offline_access records.search certificates.issue";

    private readonly ClerkCodeFlow _flow = new(server.Address, IdentityServerHost.SecretOf(ClientId), new Uri(RedirectUri));

    public HttpClient Http => _flow.Browser;

    public ClerkCodeFlow Flow => _flow;

    public string CodeVerifier => _flow.CodeVerifier;

    /// <summary>The authorization request URL the service hall redirects the clerk to.</summary>
    public string AuthorizeUrl(string scope = DefaultScope, bool withChallenge = true) => _flow.AuthorizeUrl(scope, withChallenge);

    /// <summary>GET /connect/authorize, sign in on the page it sends to, follow back: the code, or null when there is none.</summary>
    public Task<ClerkSignInResult> SignInAsync(string userName, string password, string? authorizeUrl = null) =>
        _flow.SignInAsync(userName, password, authorizeUrl ?? AuthorizeUrl(), TestContext.Current.CancellationToken);

    /// <summary>The code in a redirect to the service hall, after checking it goes there with our state.</summary>
    public string CodeFrom(Uri redirect) => _flow.CodeFrom(redirect);

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

    /// <summary>Sign in with <paramref name="scope"/> and redeem the code: the tokens, checked to be there.</summary>
    public async Task<TokenResponse> TokensAsync(string userName, string password, string scope = DefaultScope)
    {
        var signIn = await SignInAsync(userName, password, AuthorizeUrl(scope));
        Assert.NotNull(signIn.Code);
        var tokens = await RedeemAsync(signIn.Code);
        Assert.False(tokens.IsError, tokens.Error);
        return tokens;
    }

    public static string HiddenInput(string html, string name) => ClerkCodeFlow.HiddenInput(html, name);

    public void Dispose() => _flow.Dispose();
}

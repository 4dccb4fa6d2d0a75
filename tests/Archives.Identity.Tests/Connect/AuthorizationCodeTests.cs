using System.Net;
using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Archives.Identity.Tests.Connect;

[Collection(SharedServer.Name)]
public sealed class AuthorizationCodeTests(SharedIdentityServer server)
{
    private static readonly (string UserName, string Password, string Hall, string DisplayName) Hangzhou = IdentityServerHost.Clerk("hz-clerk");
    private static readonly (string UserName, string Password, string Hall, string DisplayName) Xihu = IdentityServerHost.Clerk("xihu-clerk");

    [Fact]
    public async Task CodeFlow_ClerkSignsIn_TokensSayWhoAndWhichHall()
    {
        using var browser = new ClerkBrowser(server);

        var signIn = await browser.SignInAsync(Xihu.UserName, Xihu.Password);
        var tokens = await browser.RedeemAsync(signIn.Code!);

        Assert.False(tokens.IsError, tokens.Error);
        using var http = server.CreateClient();
        var access = await http.ValidateAsync(tokens.AccessToken!, Tokens.GatewayAudience);
        Assert.True(access.IsValid, access.Exception?.Message);
        Assert.Equal("service-hall", access.Claim("client_id"));
        Assert.Equal("330106", access.Claim("hall"));
        Assert.Equal(Xihu.DisplayName, access.Claim("name"));
        Assert.NotEqual("", access.Claim("sub"));
        Assert.Equal("openid profile offline_access records.search certificates.issue", access.Claim("scope"));
        Assert.Contains("adoption", access.Claim("archives_categories").Split(' '));

        var identity = new JsonWebToken(tokens.IdentityToken);
        Assert.Equal(access.Claim("sub"), identity.Subject);
        Assert.Equal("330106", identity.GetClaim("hall").Value);
        Assert.Equal(["service-hall"], identity.Audiences);
        Assert.NotNull(tokens.RefreshToken);
    }

    [Fact]
    public async Task CodeFlow_WrongPassword_GivesNoCode()
    {
        using var browser = new ClerkBrowser(server);

        var signIn = await browser.SignInAsync(Hangzhou.UserName, Hangzhou.Password + "x");

        Assert.Null(signIn.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.PageStatus);
        Assert.Contains("用户名或密码不正确", signIn.PageBody);
        Assert.DoesNotContain(Hangzhou.Password, signIn.PageBody);
    }

    [Fact]
    public async Task CodeFlow_UnknownClerk_GivesNoCode_AndTheSameMessage()
    {
        using var browser = new ClerkBrowser(server);

        var signIn = await browser.SignInAsync("nobody", "some-long-password");

        Assert.Null(signIn.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.PageStatus);
        Assert.Contains("用户名或密码不正确", signIn.PageBody);
    }

    [Fact]
    public async Task CodeFlow_WithoutCodeChallenge_IsRefusedBeforeSignIn()
    {
        using var browser = new ClerkBrowser(server);

        using var response = await browser.Http.GetAsync(browser.AuthorizeUrl(withChallenge: false), TestContext.Current.CancellationToken);

        // Answered here, not redirected: no code reaches anyone, and the page says why.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("code_challenge", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CodeFlow_ScopeTheServiceHallMayNotHave_GivesNoCode()
    {
        using var browser = new ClerkBrowser(server);

        using var response = await browser.Http.GetAsync(browser.AuthorizeUrl(scope: "openid node.api"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task CodeFlow_WrongCodeVerifier_IsInvalidGrant()
    {
        using var browser = new ClerkBrowser(server);
        var signIn = await browser.SignInAsync(Hangzhou.UserName, Hangzhou.Password);

        var tokens = await browser.RedeemAsync(signIn.Code!, codeVerifier: new string('a', 43));

        Assert.Equal("invalid_grant", tokens.Error);
        Assert.Null(tokens.AccessToken);
    }

    [Fact]
    public async Task CodeFlow_CodeRedeemedTwice_IsInvalidGrant()
    {
        using var browser = new ClerkBrowser(server);
        var signIn = await browser.SignInAsync(Hangzhou.UserName, Hangzhou.Password);

        var first = await browser.RedeemAsync(signIn.Code!);
        var second = await browser.RedeemAsync(signIn.Code!);

        Assert.False(first.IsError, first.Error);
        Assert.Equal("invalid_grant", second.Error);
    }

    [Fact]
    public async Task CodeFlow_SignedInClerk_GetsTheNextCodeWithoutThePage()
    {
        using var browser = new ClerkBrowser(server);
        await browser.SignInAsync(Hangzhou.UserName, Hangzhou.Password);

        using var again = await browser.Http.GetAsync(browser.AuthorizeUrl(), TestContext.Current.CancellationToken);
        var tokens = await browser.RedeemAsync(browser.CodeFrom(again.Headers.Location!));

        Assert.False(tokens.IsError, tokens.Error);
    }

    [Fact]
    public async Task CodeFlow_PromptNoneWithoutSession_IsLoginRequired()
    {
        using var browser = new ClerkBrowser(server);

        using var response = await browser.Http.GetAsync(browser.AuthorizeUrl() + "&prompt=none", TestContext.Current.CancellationToken);

        var query = System.Web.HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        Assert.Equal("login_required", query["error"]);
    }

    [Fact]
    public async Task EndSession_SignsTheClerkOut_SoTheNextRequestAsksAgain()
    {
        using var browser = new ClerkBrowser(server);
        await browser.SignInAsync(Hangzhou.UserName, Hangzhou.Password);

        using var endSession = await browser.Http.GetAsync("connect/endsession?client_id=service-hall&post_logout_redirect_uri=" + Uri.EscapeDataString("http://127.0.0.1:5200/signout-callback-oidc"), TestContext.Current.CancellationToken);
        using var again = await browser.Http.GetAsync(browser.AuthorizeUrl(), TestContext.Current.CancellationToken);

        Assert.Equal("http://127.0.0.1:5200/signout-callback-oidc", endSession.Headers.Location!.GetLeftPart(UriPartial.Path));
        Assert.Equal("/account/signin", again.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task RefreshToken_GivesANewAccessTokenForTheSameClerk()
    {
        using var browser = new ClerkBrowser(server);
        var first = await browser.RedeemAsync((await browser.SignInAsync(Hangzhou.UserName, Hangzhou.Password)).Code!);
        using var http = server.CreateClient();
        var discovery = await http.DiscoverAsync();

        var refreshed = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = ClerkBrowser.ClientId,
            ClientSecret = IdentityServerHost.SecretOf(ClerkBrowser.ClientId),
            RefreshToken = first.RefreshToken!,
        }, TestContext.Current.CancellationToken);

        Assert.False(refreshed.IsError, refreshed.Error);
        var access = await http.ValidateAsync(refreshed.AccessToken!, Tokens.GatewayAudience);
        Assert.True(access.IsValid, access.Exception?.Message);
        Assert.Equal(new JsonWebToken(first.AccessToken).Subject, access.Claim("sub"));
        Assert.Equal("330100", access.Claim("hall"));
        Assert.NotEqual(first.RefreshToken, refreshed.RefreshToken);
    }

    [Fact]
    public async Task RefreshToken_OfAnotherClient_IsRefused()
    {
        using var browser = new ClerkBrowser(server);
        var tokens = await browser.RedeemAsync((await browser.SignInAsync(Hangzhou.UserName, Hangzhou.Password)).Code!);
        using var http = server.CreateClient();
        var discovery = await http.DiscoverAsync();

        var stolen = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = "zheliban",
            ClientSecret = IdentityServerHost.SecretOf("zheliban"),
            RefreshToken = tokens.RefreshToken!,
        }, TestContext.Current.CancellationToken);

        Assert.True(stolen.IsError);
        Assert.Null(stolen.AccessToken);
    }

    [Fact]
    public async Task Revocation_MakesTheRefreshTokenUnusable_AndIntrospectionInactive()
    {
        using var browser = new ClerkBrowser(server);
        var tokens = await browser.RedeemAsync((await browser.SignInAsync(Hangzhou.UserName, Hangzhou.Password)).Code!);
        using var http = server.CreateClient();
        var discovery = await http.DiscoverAsync();
        var secret = IdentityServerHost.SecretOf(ClerkBrowser.ClientId);

        var before = await Introspect(http, discovery, tokens.RefreshToken!);
        var revoked = await http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = discovery.RevocationEndpoint,
            ClientId = ClerkBrowser.ClientId,
            ClientSecret = secret,
            Token = tokens.RefreshToken!,
            TokenTypeHint = "refresh_token",
        }, TestContext.Current.CancellationToken);
        var after = await Introspect(http, discovery, tokens.RefreshToken!);
        var refreshed = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = ClerkBrowser.ClientId,
            ClientSecret = secret,
            RefreshToken = tokens.RefreshToken!,
        }, TestContext.Current.CancellationToken);

        Assert.True(before.IsActive);
        Assert.False(revoked.IsError, revoked.Error);
        Assert.False(after.IsActive);
        Assert.Equal("invalid_grant", refreshed.Error);
    }

    [Fact]
    public async Task Introspection_SaysActiveForALiveAccessToken_AndInactiveForGarbage()
    {
        using var browser = new ClerkBrowser(server);
        var tokens = await browser.RedeemAsync((await browser.SignInAsync(Hangzhou.UserName, Hangzhou.Password)).Code!);
        using var http = server.CreateClient();
        var discovery = await http.DiscoverAsync();

        var live = await Introspect(http, discovery, tokens.AccessToken!);
        var garbage = await Introspect(http, discovery, "not-a-token");

        Assert.False(live.IsError, live.Error);
        Assert.True(live.IsActive);
        Assert.Equal("service-hall", live.Claims.Single(c => c.Type == "client_id").Value);
        Assert.False(garbage.IsActive);
    }

    [Fact]
    public async Task UserInfo_ReturnsTheClerksProfile()
    {
        using var browser = new ClerkBrowser(server);
        var tokens = await browser.RedeemAsync((await browser.SignInAsync(Xihu.UserName, Xihu.Password)).Code!);
        using var http = server.CreateClient();
        var discovery = await http.DiscoverAsync();

        var info = await http.GetUserInfoAsync(new UserInfoRequest { Address = discovery.UserInfoEndpoint, Token = tokens.AccessToken }, TestContext.Current.CancellationToken);

        Assert.False(info.IsError, info.Error);
        Assert.Equal("330106", info.Claims.Single(c => c.Type == "hall").Value);
        Assert.Equal(Xihu.DisplayName, info.Claims.Single(c => c.Type == "name").Value);
    }

    private static Task<TokenIntrospectionResponse> Introspect(HttpClient http, DiscoveryDocumentResponse discovery, string token) =>
        http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = discovery.IntrospectionEndpoint,
            ClientId = ClerkBrowser.ClientId,
            ClientSecret = IdentityServerHost.SecretOf(ClerkBrowser.ClientId),
            Token = token,
        }, TestContext.Current.CancellationToken);
}

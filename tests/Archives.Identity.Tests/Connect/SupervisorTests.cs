using Archives.Identity.Server;
using Duende.IdentityModel.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Archives.Identity.Tests.Connect;

/// <summary>
/// Supervisors: the <c>archives_role</c> claim, and <c>certificates.revoke</c> granted to a clerk
/// only with that role, at sign-in and again at every refresh.
/// </summary>
[Collection(SharedServer.Name)]
public sealed class SupervisorTests(SharedIdentityServer server)
{
    private const string HallScopes = "openid profile offline_access records.search certificates.issue certificates.read certificates.revoke";

    private static readonly (string UserName, string Password, string Hall, string DisplayName) Supervisor = IdentityServerHost.Clerk("hz-supervisor");
    private static readonly (string UserName, string Password, string Hall, string DisplayName) Clerk = IdentityServerHost.Clerk("hz-clerk");

    [Fact]
    public async Task Supervisor_GetsTheRoleAndTheRevokeScope_InTheAccessAndIdentityTokens()
    {
        using var browser = new ClerkBrowser(server);

        var tokens = await browser.TokensAsync(Supervisor.UserName, Supervisor.Password, HallScopes);

        using var http = server.CreateClient();
        var access = await http.ValidateAsync(tokens.AccessToken!, Tokens.GatewayAudience);
        Assert.True(access.IsValid, access.Exception?.Message);
        Assert.Equal("supervisor", access.Claim("archives_role"));
        Assert.Equal("330100", access.Claim("hall"));
        Assert.Contains("certificates.revoke", access.Claim("scope").Split(' '));
        Assert.Equal("supervisor", new JsonWebToken(tokens.IdentityToken).GetClaim("archives_role").Value);
    }

    [Fact]
    public async Task OrdinaryClerk_AskingForRevoke_GetsATokenWithoutIt_AndNoRole()
    {
        using var browser = new ClerkBrowser(server);

        var signIn = await browser.SignInAsync(Clerk.UserName, Clerk.Password, browser.AuthorizeUrl(HallScopes));
        var tokens = await browser.RedeemAsync(signIn.Code!);

        // A code, not an error page: the scope is silently left out, as OIDC allows.
        Assert.False(tokens.IsError, tokens.Error);
        using var http = server.CreateClient();
        var access = await http.ValidateAsync(tokens.AccessToken!, Tokens.GatewayAudience);
        Assert.True(access.IsValid, access.Exception?.Message);
        Assert.Equal("openid profile offline_access records.search certificates.issue certificates.read", access.Claim("scope"));
        Assert.Equal("", access.Claim("archives_role"));
        Assert.False(new JsonWebToken(tokens.IdentityToken).TryGetClaim("archives_role", out _));
    }

    [Fact]
    public async Task Supervisor_IdentityTokenCarriesTheRole_EvenWithoutProfile()
    {
        using var browser = new ClerkBrowser(server);

        var tokens = await browser.TokensAsync(Supervisor.UserName, Supervisor.Password, "openid certificates.revoke");

        var identity = new JsonWebToken(tokens.IdentityToken);
        Assert.Equal("supervisor", identity.GetClaim("archives_role").Value);
        Assert.False(identity.TryGetClaim("hall", out _));
    }

    [Fact]
    public async Task Supervisor_UserInfo_SaysTheRole()
    {
        using var browser = new ClerkBrowser(server);
        var tokens = await browser.TokensAsync(Supervisor.UserName, Supervisor.Password, HallScopes);
        using var http = server.CreateClient();
        var discovery = await http.DiscoverAsync();

        var info = await http.GetUserInfoAsync(new UserInfoRequest { Address = discovery.UserInfoEndpoint, Token = tokens.AccessToken }, TestContext.Current.CancellationToken);

        Assert.False(info.IsError, info.Error);
        Assert.Equal("supervisor", info.Claims.Single(c => c.Type == "archives_role").Value);
    }

    [Fact]
    public async Task Supervisor_Refresh_KeepsTheRoleAndTheRevokeScope()
    {
        using var browser = new ClerkBrowser(server);
        var tokens = await browser.TokensAsync(Supervisor.UserName, Supervisor.Password, HallScopes);
        using var http = server.CreateClient();

        var refreshed = await RefreshAsync(http, tokens.RefreshToken!);

        Assert.False(refreshed.IsError, refreshed.Error);
        var access = await http.ValidateAsync(refreshed.AccessToken!, Tokens.GatewayAudience);
        Assert.Equal("supervisor", access.Claim("archives_role"));
        Assert.Contains("certificates.revoke", access.Claim("scope").Split(' '));
        Assert.Equal("supervisor", new JsonWebToken(refreshed.IdentityToken).GetClaim("archives_role").Value);
    }

    [Fact]
    public async Task OrdinaryClerk_Refresh_StillGetsNoRevokeScope()
    {
        using var browser = new ClerkBrowser(server);
        var tokens = await browser.TokensAsync(Clerk.UserName, Clerk.Password, HallScopes);
        using var http = server.CreateClient();

        var refreshed = await RefreshAsync(http, tokens.RefreshToken!, scope: "certificates.revoke");

        // The refresh token never held the scope, so asking for it there is refused outright (OpenIddict: invalid_grant).
        Assert.True(refreshed.IsError);
        Assert.Null(refreshed.AccessToken);
    }

    [Fact]
    public async Task DemotedSupervisor_Refresh_DropsTheRoleAndTheRevokeScope_PromotedClerkGainsNothingUntilSignIn()
    {
        await using var own = new IdentityServerHost("Development", []);
        await own.InitializeAsync();
        using var supervisorBrowser = new ClerkBrowser(own);
        using var clerkBrowser = new ClerkBrowser(own);
        var supervisor = await supervisorBrowser.TokensAsync(Supervisor.UserName, Supervisor.Password, HallScopes);
        var clerk = await clerkBrowser.TokensAsync(Clerk.UserName, Clerk.Password, HallScopes);

        // As if the next start had read a clerks file with the roles swapped.
        await using (var scope = own.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            await db.Clerks.Where(c => c.UserName == Supervisor.UserName).ExecuteUpdateAsync(c => c.SetProperty(x => x.Role, (string?)null), TestContext.Current.CancellationToken);
            await db.Clerks.Where(c => c.UserName == Clerk.UserName).ExecuteUpdateAsync(c => c.SetProperty(x => x.Role, "supervisor"), TestContext.Current.CancellationToken);
        }

        using var http = own.CreateClient();
        var demoted = await RefreshAsync(http, supervisor.RefreshToken!);
        var demotedAgain = await RefreshAsync(http, demoted.RefreshToken!);
        var promoted = await RefreshAsync(http, clerk.RefreshToken!);

        Assert.False(demoted.IsError, demoted.Error);
        var demotedAccess = await http.ValidateAsync(demoted.AccessToken!, Tokens.GatewayAudience);
        Assert.True(demotedAccess.IsValid, demotedAccess.Exception?.Message);
        Assert.DoesNotContain("certificates.revoke", demotedAccess.Claim("scope").Split(' '));
        Assert.Contains("certificates.issue", demotedAccess.Claim("scope").Split(' '));
        Assert.Equal("", demotedAccess.Claim("archives_role"));
        Assert.False(new JsonWebToken(demoted.IdentityToken).TryGetClaim("archives_role", out _));
        Assert.DoesNotContain("certificates.revoke", (await http.ValidateAsync(demotedAgain.AccessToken!, Tokens.GatewayAudience)).Claim("scope").Split(' '));

        var promotedAccess = await http.ValidateAsync(promoted.AccessToken!, Tokens.GatewayAudience);
        Assert.Equal("supervisor", promotedAccess.Claim("archives_role"));
        Assert.DoesNotContain("certificates.revoke", promotedAccess.Claim("scope").Split(' '));
    }

    private static async Task<TokenResponse> RefreshAsync(HttpClient http, string refreshToken, string? scope = null)
    {
        var discovery = await http.DiscoverAsync();
        return await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = ClerkBrowser.ClientId,
            ClientSecret = IdentityServerHost.SecretOf(ClerkBrowser.ClientId),
            RefreshToken = refreshToken,
            Scope = scope,
        }, TestContext.Current.CancellationToken);
    }
}

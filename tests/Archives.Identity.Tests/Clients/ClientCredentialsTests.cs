using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Archives.Identity.Tests.Clients;

[Collection(SharedServer.Name)]
public sealed class ClientCredentialsTests(SharedIdentityServer server)
{
    [Fact]
    public async Task Discovery_NamesEveryEndpoint_AndOnlyS256ForPkce()
    {
        using var http = server.CreateClient();

        var discovery = await http.DiscoverAsync();

        Assert.Equal(server.Address.ToString(), discovery.Issuer);
        Assert.All(
            [discovery.TokenEndpoint, discovery.AuthorizeEndpoint, discovery.JwksUri, discovery.IntrospectionEndpoint, discovery.RevocationEndpoint, discovery.EndSessionEndpoint],
            endpoint => Assert.StartsWith(server.Address.ToString(), endpoint));
        Assert.Equal(["S256"], discovery.CodeChallengeMethodsSupported);
        Assert.Contains("node.api", discovery.ScopesSupported);
        Assert.NotEmpty(discovery.KeySet!.Keys);
    }

    [Fact]
    public async Task ClientCredentials_TokenValidatesWithJwksAlone()
    {
        using var http = server.CreateClient();

        var response = await http.ClientCredentialsAsync("zheliban", IdentityServerHost.SecretOf("zheliban"), "catalog.read certificates.issue");
        Assert.False(response.IsError, response.Error);
        var result = await http.ValidateAsync(response.AccessToken!, Tokens.GatewayAudience);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("zheliban", result.Claim("client_id"));
        Assert.Equal("zheliban", result.Claim("sub"));
        Assert.Equal("catalog.read certificates.issue", result.Claim("scope"));
        Assert.InRange(response.ExpiresIn, 60, 15 * 60);
        // A JWS with three parts: signed, not encrypted, so any JWT library reads it.
        Assert.Equal(3, response.AccessToken!.Split('.').Length);
    }

    [Fact]
    public async Task ClientCredentials_TokenForOtherAudience_FailsValidation()
    {
        using var http = server.CreateClient();

        var response = await http.ClientCredentialsAsync("zheliban", IdentityServerHost.SecretOf("zheliban"), "catalog.read");
        var result = await http.ValidateAsync(response.AccessToken!, Tokens.NodeAudience);

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task ClientCredentials_GatewayNodeScope_IsForArchivesNodeOnly()
    {
        using var http = server.CreateClient();

        var response = await http.ClientCredentialsAsync("gateway", IdentityServerHost.SecretOf("gateway"), "node.api");
        var token = new JsonWebToken(response.AccessToken);

        Assert.False(response.IsError, response.Error);
        Assert.Equal([Tokens.NodeAudience], token.Audiences);
        Assert.True((await http.ValidateAsync(response.AccessToken!, Tokens.NodeAudience)).IsValid);
        Assert.False(token.TryGetClaim("archives_categories", out _));
    }

    [Fact]
    public async Task ClientCredentials_ScopeTheClientMayNotHave_IsInvalidScope()
    {
        using var http = server.CreateClient();

        var response = await http.ClientCredentialsAsync("partner-shanghai", IdentityServerHost.SecretOf("partner-shanghai"), "catalog.read node.api");

        Assert.Equal(HttpStatusCode.BadRequest, response.HttpStatusCode);
        Assert.Equal("invalid_scope", response.Error);
        Assert.Null(response.AccessToken);
    }

    [Fact]
    public async Task ClientCredentials_UnknownScope_IsInvalidScope()
    {
        using var http = server.CreateClient();

        var response = await http.ClientCredentialsAsync("ops", IdentityServerHost.SecretOf("ops"), "records.delete");

        Assert.Equal("invalid_scope", response.Error);
    }

    [Fact]
    public async Task ClientCredentials_WrongSecret_IsInvalidClient()
    {
        using var http = server.CreateClient();

        var response = await http.ClientCredentialsAsync("partner-jiangsu", IdentityServerHost.SecretOf("partner-anhui"), "catalog.read");

        // RFC 6749 §5.2: 401 when the client authenticated with the Authorization header.
        Assert.Equal(HttpStatusCode.Unauthorized, response.HttpStatusCode);
        Assert.Equal("invalid_client", response.TryGet("error"));
        Assert.Null(response.AccessToken);
    }

    [Fact]
    public async Task ClientCredentials_UnknownClient_IsInvalidClient()
    {
        using var http = server.CreateClient();

        var response = await http.ClientCredentialsAsync("partner-beijing", "x".PadRight(64, 'x'), "catalog.read");

        Assert.Equal("invalid_client", response.TryGet("error"));
    }

    [Fact]
    public async Task ClientCredentials_ServiceHall_CannotUseIt()
    {
        using var http = server.CreateClient();

        var response = await http.ClientCredentialsAsync("service-hall", IdentityServerHost.SecretOf("service-hall"), "records.search");

        Assert.True(response.IsError);
        Assert.Null(response.AccessToken);
    }

    [Theory]
    [InlineData("partner-shanghai", "marriage educated-youth employment")]
    [InlineData("partner-jiangsu", "marriage educated-youth military-service employment")]
    [InlineData("partner-anhui", "marriage educated-youth employment land-contract")]
    public async Task ClientCredentials_PartnerToken_CarriesItsAgreement(string clientId, string categories)
    {
        using var http = server.CreateClient();

        var response = await http.ClientCredentialsAsync(clientId, IdentityServerHost.SecretOf(clientId), "records.search certificates.issue");
        var result = await http.ValidateAsync(response.AccessToken!, Tokens.GatewayAudience);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(categories, result.Claim("archives_categories"));
        Assert.Equal("33", result.Claim("archives_regions"));
    }

    [Fact]
    public async Task ClientCredentials_EveryMachineClient_GetsEachScopeItIsDeclaredWith()
    {
        using var http = server.CreateClient();

        foreach (var (clientId, secret, scopes) in IdentityServerHost.LocalClients().Where(c => c.ClientId != "service-hall"))
        {
            var response = await http.ClientCredentialsAsync(clientId, secret, string.Join(' ', scopes));

            Assert.False(response.IsError, $"{clientId}: {response.Error} {response.ErrorDescription}");
            Assert.Equal(string.Join(' ', scopes), new JsonWebToken(response.AccessToken).GetClaim("scope").Value);
        }
    }
}

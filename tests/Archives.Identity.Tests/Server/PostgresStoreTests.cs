using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Archives.Testing;

namespace Archives.Identity.Tests.Server;

public sealed class PostgresStoreTests
{
    [Fact]
    public async Task Store_OnPostgreSql_ByConnectionStringAlone_SyncsIdempotentlyAndIssuesTokens()
    {
        await using var postgres = await TemporaryPostgres.StartAsync();
        if (postgres is null)
        {
            Assert.Skip("PostgreSQL is not installed here (Debian package postgresql).");
        }

        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Identity"] = postgres.ConnectionString };
        await using (var first = new IdentityServerHost("Development", settings))
        {
            await first.InitializeAsync();
        }

        await using var second = new IdentityServerHost("Development", settings);
        await second.InitializeAsync();
        using var http = second.CreateClient();
        var token = await http.ClientCredentialsAsync("partner-anhui", IdentityServerHost.SecretOf("partner-anhui"), "records.search");
        await using var scope = second.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Identity.Server.IdentityDb>();

        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
        Assert.Equal(7, await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(IdentityServerHost.ClerkCount(), await db.Clerks.CountAsync(TestContext.Current.CancellationToken));
        Assert.False(token.IsError, token.Error);
        Assert.True((await http.ValidateAsync(token.AccessToken!, Tokens.GatewayAudience)).IsValid);
    }
}

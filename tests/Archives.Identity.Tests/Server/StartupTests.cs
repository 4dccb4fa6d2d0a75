using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Archives.Identity.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace Archives.Identity.Tests.Server;

public sealed class StartupTests
{
    private static readonly string[] ConfidentialClients = [.. IdentityServerHost.LocalClients().Select(c => c.ClientId)];

    [Fact]
    public async Task Start_OnAStoreWithAnOlderSchema_SaysToDeleteTheStore()
    {
        var data = Directory.CreateTempSubdirectory("archives-identity-").FullName;
        try
        {
            await using (var first = new IdentityServerHost("Development", [], data))
            {
                await first.InitializeAsync();
                await using var scope = first.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IdentityDb>().Database.ExecuteSqlRawAsync("ALTER TABLE Clerks DROP COLUMN Role", TestContext.Current.CancellationToken);
            }

            await using var second = new IdentityServerHost("Development", [], data);
            var error = await Assert.ThrowsAnyAsync<Exception>(async () => await second.InitializeAsync());

            Assert.Contains("schema is older than this server's", Flatten(error));
            Assert.Contains("delete the store", Flatten(error));
        }
        finally
        {
            IdentityServerHost.DeleteQuietly(data);
        }
    }

    [Fact]
    public async Task Restart_OnTheSameStore_ChangesNothing_AndEarlierTokensStillValidate()
    {
        var data = Directory.CreateTempSubdirectory("archives-identity-restart-").FullName;
        try
        {
            string token, subject, secretHash, issuer;
            await using (var first = new IdentityServerHost("Development", [], data))
            {
                await first.InitializeAsync();
                using var http = first.CreateClient();
                token = (await http.ClientCredentialsAsync("zheliban", IdentityServerHost.SecretOf("zheliban"), "catalog.read")).AccessToken!;
                (subject, secretHash, _) = await StoreState(first);
                issuer = first.Address.ToString();
            }

            await using var second = new IdentityServerHost("Development", [], data);
            await second.InitializeAsync();
            using var again = second.CreateClient();
            var (subjectAfter, secretHashAfter, counts) = await StoreState(second);
            var fresh = await again.ClientCredentialsAsync("zheliban", IdentityServerHost.SecretOf("zheliban"), "catalog.read");

            Assert.Equal(subject, subjectAfter);
            Assert.Equal(secretHash, secretHashAfter);
            Assert.Equal((7, 7, IdentityServerHost.ClerkCount()), counts);
            Assert.False(fresh.IsError, fresh.Error);
            // Development keys are kept in the data folder; the issuer differs only because the test's port does.
            Assert.True((await again.ValidateAsync(token, Tokens.GatewayAudience, issuer)).IsValid);
        }
        finally
        {
            IdentityServerHost.DeleteQuietly(data);
        }
    }

    [Fact]
    public async Task Restart_WithAClientAndAClerkRemovedFromTheFiles_TakesTheirAccessAway()
    {
        var data = Directory.CreateTempSubdirectory("archives-identity-removal-").FullName;
        var files = Directory.CreateTempSubdirectory("archives-identity-files-").FullName;
        try
        {
            await using (var first = new IdentityServerHost("Development", [], data))
            {
                await first.InitializeAsync();
            }

            var reduced = Reduce(files, without: "ops", withoutClerk: "nb-clerk");
            await using var second = new IdentityServerHost("Development", reduced, data);
            await second.InitializeAsync();
            using var http = second.CreateClient();
            var ops = await http.ClientCredentialsAsync("ops", IdentityServerHost.SecretOf("ops"), "audit.read");
            using var browser = new Connect.ClerkBrowser(second);
            var clerk = IdentityServerHost.Clerk("nb-clerk");
            var signIn = await browser.SignInAsync(clerk.UserName, clerk.Password);

            Assert.Equal("invalid_client", ops.TryGet("error"));
            Assert.Null(signIn.Code);
        }
        finally
        {
            IdentityServerHost.DeleteQuietly(data);
            IdentityServerHost.DeleteQuietly(files);
        }
    }

    [Fact]
    public async Task Start_WithAnUnknownCategoryInAnAgreement_FailsNamingTheClient()
    {
        var files = Directory.CreateTempSubdirectory("archives-identity-bad-").FullName;
        try
        {
            var clients = JsonNode.Parse(File.ReadAllText(Path.Combine(IdentityServerHost.ConfigDirectory, "clients.json")))!;
            var shanghai = clients["clients"]!.AsArray().Single(c => (string?)c!["clientId"] == "partner-shanghai")!;
            shanghai["agreement"]!["categories"]!.AsArray().Add("tax-returns");
            var path = Path.Combine(files, "clients.json");
            File.WriteAllText(path, clients.ToJsonString());

            var error = await StartFails("Development", new() { ["Identity:ClientsFile"] = path });

            Assert.Contains("partner-shanghai", error);
            Assert.Contains("tax-returns", error);
            Assert.Contains("Identity:ClientsFile", error);
        }
        finally
        {
            IdentityServerHost.DeleteQuietly(files);
        }
    }

    [Fact]
    public async Task Production_WithTheDevClientsFile_RefusesToStart()
    {
        using var production = ProductionSettings.Create();
        var settings = production.Settings;
        settings["Identity:LocalClientsFile"] = Path.Combine(IdentityServerHost.ConfigDirectory, "local", "clients.json");

        var error = await StartFails("Production", settings);

        Assert.Contains("Identity:LocalClientsFile", error);
    }

    [Fact]
    public async Task Production_WithTheDemoClerks_RefusesToStart()
    {
        using var production = ProductionSettings.Create();
        var settings = production.Settings;
        settings["Identity:ClerksFile"] = Path.Combine(IdentityServerHost.ConfigDirectory, "local", "clerks.json");

        var error = await StartFails("Production", settings);

        Assert.Contains("Identity:ClerksFile", error);
    }

    [Fact]
    public async Task Production_WithADevSecretAsAClientSecret_RefusesToStart()
    {
        using var production = ProductionSettings.Create();
        var settings = production.Settings;
        settings["Identity:ClientSecrets:zheliban"] = IdentityServerHost.SecretOf("zheliban");

        var error = await StartFails("Production", settings);

        Assert.Contains("Identity:ClientSecrets:zheliban", error);
        Assert.DoesNotContain(IdentityServerHost.SecretOf("zheliban"), error);
    }

    [Fact]
    public async Task Production_WithoutCertificates_RefusesToStart()
    {
        using var production = ProductionSettings.Create();
        var settings = production.Settings;
        settings.Remove("Identity:SigningCertificate:Path");
        settings.Remove("Identity:EncryptionCertificate:Path");

        var error = await StartFails("Production", settings);

        Assert.Contains("Identity:SigningCertificate:Path", error);
        Assert.Contains("Identity:EncryptionCertificate:Path", error);
    }

    [Fact]
    public async Task Production_WithoutAnIssuer_RefusesToStart()
    {
        using var production = ProductionSettings.Create();
        var settings = production.Settings;
        settings.Remove("Identity:Issuer");

        var error = await StartFails("Production", settings);

        Assert.Contains("Identity:Issuer", error);
    }

    [Fact]
    public async Task Production_WithCertificatesAndItsOwnSecrets_Starts_AndRefusesPlainHttp()
    {
        using var production = ProductionSettings.Create();
        await using var server = new IdentityServerHost("Production", production.Settings);
        await server.InitializeAsync();
        using var http = server.CreateClient();

        using var ready = await http.GetAsync("health/ready", TestContext.Current.CancellationToken);
        var token = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "zheliban",
            ["client_secret"] = production.Settings["Identity:ClientSecrets:zheliban"]!,
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.DoesNotContain("access_token", await token.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The sub of a clerk, the stored hash of a client secret, and how many scopes, clients and clerks the store holds.</summary>
    private static async Task<(string Subject, string SecretHash, (int Scopes, int Clients, int Clerks) Counts)> StoreState(IdentityServerHost server)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var scopes = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, (await applications.FindByClientIdAsync("zheliban", cancellation))!, cancellation);
        var subject = await db.Clerks.Where(c => c.UserName == "hz-clerk").Select(c => c.Subject).SingleAsync(cancellation);
        return (subject, descriptor.ClientSecret!, ((int)await scopes.CountAsync(cancellation), (int)await applications.CountAsync(cancellation), await db.Clerks.CountAsync(c => c.Active, cancellation)));
    }

    /// <summary>Copies of the repository's files without one client and one clerk.</summary>
    private static Dictionary<string, string?> Reduce(string folder, string without, string withoutClerk)
    {
        JsonNode Without(string file, string list, string key, string value)
        {
            var document = JsonNode.Parse(File.ReadAllText(Path.Combine(IdentityServerHost.ConfigDirectory, file)))!;
            var items = document[list]!.AsArray();
            items.Remove(items.Single(i => (string?)i![key] == value));
            return document;
        }

        var paths = new Dictionary<string, string?>
        {
            ["Identity:ClientsFile"] = Path.Combine(folder, "clients.json"),
            ["Identity:LocalClientsFile"] = Path.Combine(folder, "local-clients.json"),
            ["Identity:ClerksFile"] = Path.Combine(folder, "clerks.json"),
        };
        File.WriteAllText(paths["Identity:ClientsFile"]!, Without("clients.json", "clients", "clientId", without).ToJsonString());
        File.WriteAllText(paths["Identity:LocalClientsFile"]!, Without(Path.Combine("local", "clients.json"), "clients", "clientId", without).ToJsonString());
        File.WriteAllText(paths["Identity:ClerksFile"]!, Without(Path.Combine("local", "clerks.json"), "clerks", "userName", withoutClerk).ToJsonString());
        return paths;
    }

    /// <summary>Starts a server that must not start, and returns what it said.</summary>
    private static async Task<string> StartFails(string environment, Dictionary<string, string?> settings)
    {
        await using var server = new IdentityServerHost(environment, settings);
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await server.InitializeAsync());
        return Flatten(error);
    }

    private static string Flatten(Exception error) => error switch
    {
        AggregateException aggregate => string.Join(" | ", aggregate.InnerExceptions.Select(Flatten)),
        { InnerException: { } inner } => error.Message + " | " + Flatten(inner),
        _ => error.Message,
    };

    /// <summary>A complete production configuration: issuer, PKCS#12 certificates and fresh secrets.</summary>
    private sealed class ProductionSettings : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("archives-identity-prod-").FullName;

        public Dictionary<string, string?> Settings { get; } = [];

        public static ProductionSettings Create()
        {
            var production = new ProductionSettings();
            var settings = production.Settings;
            settings["Identity:Issuer"] = "https://identity.archives.example/";
            settings["Identity:SigningCertificate:Path"] = production.Certificate("signing.pfx", X509KeyUsageFlags.DigitalSignature);
            settings["Identity:SigningCertificate:Password"] = "test-password";
            settings["Identity:EncryptionCertificate:Path"] = production.Certificate("encryption.pfx", X509KeyUsageFlags.KeyEncipherment);
            settings["Identity:EncryptionCertificate:Password"] = "test-password";
            foreach (var clientId in ConfidentialClients)
            {
                settings[$"Identity:ClientSecrets:{clientId}"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(36));
            }

            return production;
        }

        private string Certificate(string name, X509KeyUsageFlags usage)
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=Archives Identity test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
            var path = Path.Combine(_folder, name);
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "test-password"));
            return path;
        }

        public void Dispose() => IdentityServerHost.DeleteQuietly(_folder);
    }
}

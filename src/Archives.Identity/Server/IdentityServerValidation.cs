using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Archives.Identity.Clients;
using Microsoft.Extensions.Options;

namespace Archives.Identity.Server;

/// <summary>
/// Stops the start-up, naming the configuration key, when the configuration is unsafe: outside
/// Development, real certificates and an issuer are required and no dev-only secret of
/// <c>gateway-config/local</c> may be in use.
/// </summary>
internal sealed class IdentityServerValidation(IHostEnvironment environment) : IValidateOptions<IdentityServerOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityServerOptions options)
    {
        var errors = new List<string>();
        if (options.ClientsFile is null)
        {
            errors.Add("Identity:ClientsFile is not set and no gateway-config/clients.json was found above the content root; set Identity:ClientsFile or Identity:ConfigDirectory.");
        }
        else if (!File.Exists(options.ClientsFile))
        {
            errors.Add($"Identity:ClientsFile: {options.ClientsFile} does not exist.");
        }

        if (options.AccessTokenLifetime <= TimeSpan.Zero || options.RefreshTokenLifetime <= TimeSpan.Zero)
        {
            errors.Add("Identity:AccessTokenLifetime and Identity:RefreshTokenLifetime must be positive.");
        }

        if (options.MaxFailedSignIns < 1)
        {
            errors.Add("Identity:MaxFailedSignIns must be at least 1.");
        }

        if (!environment.IsDevelopment())
        {
            CheckProduction(options, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void CheckProduction(IdentityServerOptions options, List<string> errors)
    {
        var where = $"in the {environment.EnvironmentName} environment";
        if (options.LocalClientsFile is not null)
        {
            errors.Add($"Identity:LocalClientsFile names the dev-only client secrets of gateway-config/local, refused {where}; set each secret with Identity:ClientSecrets:<clientId> instead.");
        }

        if (options.ClerksFile is not null)
        {
            errors.Add($"Identity:ClerksFile names the dev-only demo clerks of gateway-config/local, refused {where}.");
        }

        foreach (var clientId in DevSecretsInUse(options))
        {
            errors.Add($"Identity:ClientSecrets:{clientId} is the dev-only secret of gateway-config/local/clients.json, refused {where}.");
        }

        if (options.Issuer is not { IsAbsoluteUri: true })
        {
            errors.Add($"Identity:Issuer is required {where} (the public base address of this server, e.g. https://identity.archives.example/).");
        }

        CheckCertificate(options.SigningCertificate, "Identity:SigningCertificate", X509KeyUsageFlags.DigitalSignature, where, errors);
        CheckCertificate(options.EncryptionCertificate, "Identity:EncryptionCertificate", X509KeyUsageFlags.KeyEncipherment, where, errors);
    }

    /// <summary>The clients whose configured secret equals one in the repository's dev-only file, wherever that file is.</summary>
    private static IEnumerable<string> DevSecretsInUse(IdentityServerOptions options)
    {
        var devFile = options.ConfigDirectory is { } config ? Path.Combine(config, "local", "clients.json") : null;
        if (devFile is null || !File.Exists(devFile) || options.ClientSecrets.Count == 0)
        {
            return [];
        }

        var devSecrets = ClientCatalog.Read<LocalClientsDocument>(devFile, "Identity:ConfigDirectory").Clients.Select(c => c.ClientSecret).ToList();
        return options.ClientSecrets
            .Where(pair => devSecrets.Any(dev => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(dev), Encoding.UTF8.GetBytes(pair.Value))))
            .Select(pair => pair.Key)
            .ToList();
    }

    private static void CheckCertificate(CertificateOptions certificate, string key, X509KeyUsageFlags usage, string where, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(certificate.Path))
        {
            errors.Add($"{key}:Path is required {where}: a PKCS#12 file with the certificate and its private key (password in {key}:Password). Development keys are never used outside Development.");
            return;
        }

        try
        {
            using var loaded = ServerKeys.Load(certificate);
            if (!loaded.HasPrivateKey)
            {
                errors.Add($"{key}:Path: {certificate.Path} holds no private key.");
            }
            else if (loaded.NotAfter < DateTime.Now)
            {
                errors.Add($"{key}:Path: {certificate.Path} expired on {loaded.NotAfter:yyyy-MM-dd}.");
            }
            else if (loaded.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } extension && !extension.KeyUsages.HasFlag(usage))
            {
                errors.Add($"{key}:Path: {certificate.Path} is not meant for {usage} (key usage).");
            }
        }
        catch (CryptographicException e)
        {
            errors.Add($"{key}:Path: {certificate.Path} cannot be read as PKCS#12 with {key}:Password: {e.Message}");
        }
        catch (IOException e)
        {
            errors.Add($"{key}:Path: {e.Message}");
        }
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Archives.Identity.Clients;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Archives.Identity.Server;

/// <summary>
/// The server settings that come from configuration at run time: issuer, token lifetimes,
/// declared scopes, and the signing and encryption keys — the configured certificates, or in
/// Development keys kept in the data folder so tokens outlive a restart.
/// </summary>
internal sealed class ServerKeys(IOptions<IdentityServerOptions> identity, ClientCatalog catalog, IHostEnvironment environment, ILogger<ServerKeys> logger)
    : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        var settings = identity.Value;
        options.Issuer = settings.Issuer;
        options.AccessTokenLifetime = settings.AccessTokenLifetime;
        options.RefreshTokenLifetime = settings.RefreshTokenLifetime;
        options.Scopes.UnionWith(catalog.Scopes.Select(s => s.Name));

        var signing = settings.SigningCertificate.Path is not null ? Load(settings.SigningCertificate) : null;
        var encryption = settings.EncryptionCertificate.Path is not null ? Load(settings.EncryptionCertificate) : null;
        if (environment.IsDevelopment())
        {
            var keys = Path.Combine(settings.DataDirectory!, "keys");
            signing ??= DevelopmentCertificate(Path.Combine(keys, "signing.pfx"), X509KeyUsageFlags.DigitalSignature);
            encryption ??= DevelopmentCertificate(Path.Combine(keys, "encryption.pfx"), X509KeyUsageFlags.KeyEncipherment);
        }

        // Outside Development IdentityServerValidation has already refused to start without both.
        if (signing is not null)
        {
            options.SigningCredentials.Add(new SigningCredentials(new X509SecurityKey(signing), SecurityAlgorithms.RsaSha256));
        }

        if (encryption is not null)
        {
            options.EncryptionCredentials.Add(new EncryptingCredentials(
                new X509SecurityKey(encryption), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }

    public static X509Certificate2 Load(CertificateOptions certificate) =>
        X509CertificateLoader.LoadPkcs12FromFile(certificate.Path!, certificate.Password);

    /// <summary>
    /// A self-signed RSA certificate kept as a PKCS#12 file in the data folder, made on first use.
    /// Note: the file has no password; it is for Development only and lives in a git-ignored folder.
    /// </summary>
    private X509Certificate2 DevelopmentCertificate(string path, X509KeyUsageFlags usage)
    {
        if (File.Exists(path))
        {
            var existing = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
            if (existing.NotAfter > DateTime.Now.AddDays(7))
            {
                return existing;
            }

            // Expiring: replaced, so tokens signed with it stop validating, as in a real rotation.
            existing.Dispose();
            File.Delete(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=Archives Identity development {usage}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(2));
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        // Readable by this user only: it holds the private key.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            file.Write(created.Export(X509ContentType.Pkcs12));
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
            logger.LogInformation("Created the development key {Path}.", path);
        }
        catch (IOException)
        {
            // Another process made it first: use theirs.
            File.Delete(temporary);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
    }
}

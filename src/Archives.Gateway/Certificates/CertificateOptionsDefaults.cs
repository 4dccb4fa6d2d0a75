using Archives.Gateway.Ledger;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Certificates;

/// <summary>Fills in the key directory: <c>certificate-keys</c> in the ledger's data directory.</summary>
internal sealed class CertificateOptionsDefaults(IHostEnvironment environment, IOptions<LedgerOptions> ledger) : IPostConfigureOptions<CertificateOptions>
{
    public void PostConfigure(string? name, CertificateOptions options)
        => options.KeyDirectory = Path.GetFullPath(options.KeyDirectory ?? Path.Combine(ledger.Value.DataDirectory!, "certificate-keys"), environment.ContentRootPath);
}

namespace Archives.Gateway.Certificates;

/// <summary>At start: loads the PDF font and a signing key, so that a missing one is logged before the first request needs it.</summary>
internal sealed class CertificatesStartup(CertificateKeyStore keys, CertificateFont font, ILogger<CertificatesStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = font.Available;
        if (await keys.GetActiveAsync(cancellationToken) is null)
        {
            logger.LogError("No certificate signing key: issuing answers 503 until Gateway:Certificates:KeyDirectory holds one.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

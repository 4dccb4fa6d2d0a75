using Microsoft.Extensions.FileProviders;

namespace Archives.Gateway.RateLimiting;

/// <summary>
/// The policy file, loaded as a configuration root of its own (so that the file holds just the policies) and
/// watched for edits; its read errors after start are kept for the log.
/// </summary>
internal sealed class RateLimitPolicyFile : IHostedService, IDisposable
{
    private readonly PhysicalFileProvider? _files;
    private readonly IConfigurationRoot? _configuration;
    private Exception? _unreported;
    private bool _started;

    public RateLimitPolicyFile(string? path)
    {
        Path = path;
        if (path is null)
        {
            return;
        }

        // Owned here and disposed with the host: a configuration source does not dispose a provider it was given.
        _files = new PhysicalFileProvider(System.IO.Path.GetDirectoryName(path)!);
        _configuration = new ConfigurationBuilder().AddJsonFile(source =>
        {
            source.FileProvider = _files;
            source.Path = System.IO.Path.GetFileName(path);
            source.ReloadOnChange = true;
            // At start a file that cannot be read stops the gateway; after a breaking edit the reload's exception would
            // escape on the file watcher's thread, so it is kept for the log and the built-in policies apply meanwhile.
            source.OnLoadException = context => context.Ignore = Report(context.Exception);
        }).Build();
        _started = true;
    }

    public string? Path { get; }

    public IConfiguration? Configuration => _configuration;

    /// <summary>The read error of the last edit, once.</summary>
    public Exception? TakeUnreported() => Interlocked.Exchange(ref _unreported, null);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        (_configuration as IDisposable)?.Dispose();
        _files?.Dispose();
    }

    private bool Report(Exception error)
    {
        if (_started)
        {
            Interlocked.Exchange(ref _unreported, error);
        }

        return _started;
    }
}

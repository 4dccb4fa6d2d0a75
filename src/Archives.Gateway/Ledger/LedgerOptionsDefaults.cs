using Microsoft.Extensions.Options;

namespace Archives.Gateway.Ledger;

/// <summary>Fills in the data directory and the provider.</summary>
internal sealed class LedgerOptionsDefaults(IHostEnvironment environment, IConfiguration configuration) : IPostConfigureOptions<LedgerOptions>
{
    public void PostConfigure(string? name, LedgerOptions options)
    {
        // The repository's .data folder is git-ignored; a deployment without the repository keeps data beside the app.
        options.DataDirectory = Path.GetFullPath(
            options.DataDirectory ?? Path.Combine(FindRepository(environment.ContentRootPath) ?? environment.ContentRootPath, ".data", "gateway"),
            environment.ContentRootPath);
        options.LedgerProvider ??= string.IsNullOrWhiteSpace(configuration.GetConnectionString("Ledger")) ? Ledger.LedgerProvider.Sqlite : Ledger.LedgerProvider.PostgreSQL;
    }

    private static string? FindRepository(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "gateway-config")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}

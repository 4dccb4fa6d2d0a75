using Microsoft.Extensions.Options;

namespace Archives.Identity.Server;

/// <summary>
/// Fills in what the operator did not configure: the repository's <c>gateway-config</c> files
/// and, in Development only, the dev-only secrets of <c>gateway-config/local</c>.
/// </summary>
internal sealed class IdentityServerDefaults(IHostEnvironment environment) : IPostConfigureOptions<IdentityServerOptions>
{
    public void PostConfigure(string? name, IdentityServerOptions options)
    {
        options.ConfigDirectory ??= FindConfigDirectory(environment.ContentRootPath) ?? FindConfigDirectory(AppContext.BaseDirectory);
        if (options.ConfigDirectory is { } config)
        {
            options.ClientsFile ??= Path.Combine(config, "clients.json");
            if (environment.IsDevelopment())
            {
                options.LocalClientsFile ??= Path.Combine(config, "local", "clients.json");
                options.ClerksFile ??= Path.Combine(config, "local", "clerks.json");
            }
        }

        // The repository's .data folder is git-ignored; a deployment without the repository keeps data beside the app.
        var root = options.ConfigDirectory is { } found ? Path.GetDirectoryName(Path.GetFullPath(found).TrimEnd(Path.DirectorySeparatorChar)) : null;
        options.DataDirectory ??= Path.Combine(root ?? environment.ContentRootPath, ".data", "identity");
    }

    /// <summary>The nearest <c>gateway-config</c> folder holding a <c>clients.json</c>, walking up from <paramref name="start"/>.</summary>
    public static string? FindConfigDirectory(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "gateway-config");
            if (File.Exists(Path.Combine(candidate, "clients.json")))
            {
                return candidate;
            }
        }

        return null;
    }
}

namespace Archives.Gateway.Registry;

/// <summary>The node registry file, a configuration source of its own, so that an edit of it can change nodes and nothing else.</summary>
internal sealed class RegistryFile(string path, IConfigurationRoot configuration) : IDisposable
{
    public string Path { get; } = path;

    public IConfigurationSection ReverseProxy => configuration.GetSection("ReverseProxy");

    /// <summary>The file's <c>ReverseProxy:Clusters</c> section: one child per node.</summary>
    public IConfigurationSection Clusters => configuration.GetSection("ReverseProxy:Clusters");

    public Microsoft.Extensions.Primitives.IChangeToken GetReloadToken() => configuration.GetReloadToken();

    public static RegistryFile Open(WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(RegistryOptions.Section).Get<RegistryOptions>() ?? new RegistryOptions();
        if (string.IsNullOrWhiteSpace(options.RegistryFile))
        {
            throw new InvalidOperationException("Gateway:RegistryFile is required: the path of the node registry (gateway-config/…/nodes.json).");
        }

        var path = System.IO.Path.GetFullPath(options.RegistryFile, builder.Environment.ContentRootPath);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Gateway:RegistryFile: the node registry '{path}' does not exist.");
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(path, optional: false, reloadOnChange: true)
            .Build();
        return new RegistryFile(path, configuration);
    }

    public void Dispose() => (configuration as IDisposable)?.Dispose();
}

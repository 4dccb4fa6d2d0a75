using Archives.Gateway.Hosting;

namespace Archives.Gateway.Registry;

internal static class RegistryExtensions
{
    /// <summary>
    /// Loads the node registry file (<c>Gateway:RegistryFile</c>) into YARP as it is, with change
    /// tracking, and adds the <see cref="NodeRegistry"/> view; nodes' health probes are spread over time
    /// (<see cref="HealthProbeSpread"/>). The per-node pass-through routes are the proxy's (<c>AddNodeProxy</c>).
    /// </summary>
    public static WebApplicationBuilder AddNodeRegistry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RegistryOptions>()
            .BindConfiguration(RegistryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // YARP needs the configuration at registration; the file is opened here so that a missing
        // file stops the start with a message naming the key.
        var registry = RegistryFile.Open(builder);
        builder.Services.AddSingleton(_ => registry);
        builder.Services.AddReverseProxy().LoadFromConfig(registry.ReverseProxy).AddConfigFilter<HealthProbeSpread>();
        builder.Services.AddSingleton<NodeRegistry>();
        builder.Services.AddHealthChecks().AddCheck<RegistryHealthCheck>("registry", tags: [GatewayDefaults.ReadyTag]);
        return builder;
    }
}

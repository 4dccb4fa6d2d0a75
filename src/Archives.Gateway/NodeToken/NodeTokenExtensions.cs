using System.Text.Json;
using Archives.Gateway.Access;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.NodeToken;

internal static class NodeTokenExtensions
{
    /// <summary>The gateway's own <c>node.api</c> token (<see cref="NodeTokenSource"/>), which node calls and the pass-through send.</summary>
    public static WebApplicationBuilder AddNodeToken(this WebApplicationBuilder builder)
    {
        builder.Services.AddGatewayAuthOptions();
        builder.Services.AddOptions<NodeTokenOptions>()
            .BindConfiguration(NodeTokenOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IPostConfigureOptions<NodeTokenOptions>, NodeTokenDefaults>();
        builder.Services.AddSingleton<IValidateOptions<NodeTokenOptions>, NodeTokenValidation>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(NodeTokenSource.HttpClientName);
        builder.Services.AddSingleton<NodeTokenSource>();
        builder.Services.AddHostedService<NodeTokenWarmUp>();
        return builder;
    }

    internal static IReadOnlyDictionary<string, string> ReadDevSecrets(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("clients").EnumerateArray()
            .Where(c => c.TryGetProperty("clientSecret", out _))
            .ToDictionary(c => c.GetProperty("clientId").GetString()!, c => c.GetProperty("clientSecret").GetString()!, StringComparer.Ordinal);
    }

    internal static string? FindDevSecretsFile(IHostEnvironment environment)
    {
        foreach (var start in new[] { environment.ContentRootPath, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "gateway-config", "local", "clients.json");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Development only: the gateway's dev secret when none is configured.</summary>
    private sealed class NodeTokenDefaults(IHostEnvironment environment) : IPostConfigureOptions<NodeTokenOptions>
    {
        public void PostConfigure(string? name, NodeTokenOptions options)
        {
            options.DevSecretsFile ??= FindDevSecretsFile(environment);
            if (environment.IsDevelopment() && string.IsNullOrEmpty(options.ClientSecret) && options.DevSecretsFile is { } file && File.Exists(file)
                && ReadDevSecrets(file).TryGetValue(options.ClientId, out var secret))
            {
                options.ClientSecret = secret;
            }
        }
    }

    /// <summary>A secret is required; outside Development it must not be any dev-only secret.</summary>
    private sealed class NodeTokenValidation(IHostEnvironment environment) : IValidateOptions<NodeTokenOptions>
    {
        public ValidateOptionsResult Validate(string? name, NodeTokenOptions options)
        {
            if (string.IsNullOrEmpty(options.ClientSecret))
            {
                return ValidateOptionsResult.Fail(
                    $"{NodeTokenOptions.Section}:ClientSecret is required: the secret of the gateway's client '{options.ClientId}' at the identity server (e.g. environment variable Gateway__NodeToken__ClientSecret).");
            }

            // Note: the dev secrets are in the repository; a gateway using one outside Development
            // would let anyone who read the repository call the nodes as the gateway.
            if (!environment.IsDevelopment() && options.DevSecretsFile is { } file && File.Exists(file)
                && ReadDevSecrets(file).Values.Contains(options.ClientSecret, StringComparer.Ordinal))
            {
                return ValidateOptionsResult.Fail(
                    $"{NodeTokenOptions.Section}:ClientSecret is a dev-only secret of {file}, refused outside Development; set the gateway's real secret.");
            }

            return ValidateOptionsResult.Success;
        }
    }
}

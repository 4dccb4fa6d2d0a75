using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Archives.ServiceHall.Search;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;

namespace Archives.ServiceHall.Hosting;

internal static class HallDefaults
{
    public const string ClerkRateLimit = "clerk";

    public static readonly CultureInfo Chinese = new("zh-CN");
    public static readonly CultureInfo English = new("en");

    public static WebApplicationBuilder AddHallDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HallOptions>()
            .BindConfiguration(HallOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IPostConfigureOptions<HallOptions>, HallDevDefaults>();
        builder.Services.AddSingleton<IValidateOptions<HallOptions>, HallSecretValidation>();

        builder.Services.AddRazorPages(o => o.Conventions.AllowAnonymousToPage("/Error"));
        // Chinese text as characters, not &#x...; entities: the pages stay readable in source and a third smaller.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<Regions>();
        builder.Services.TryAddSingleton(TimeProvider.System);

        // Chinese first; the clerk's choice is kept in the framework's culture cookie.
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Chinese);
            o.SupportedCultures = o.SupportedUICultures = [Chinese, English];
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(ClerkRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.FindFirst("sub")?.Value ?? context.Connection.RemoteIpAddress?.ToString() ?? "",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<HallOptions>>().Value.RequestsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
                rejected.HttpContext.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
                rejected.HttpContext.Response.ContentType = "text/html; charset=utf-8";
                var english = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
                var text = english
                    ? $"Too many requests from this window. Please wait {wait} seconds, then try again."
                    : $"本窗口请求过于频繁，请等待 {wait} 秒后再试。";
                await rejected.HttpContext.Response.WriteAsync(
                    $"<!doctype html><html lang=\"{(english ? "en" : "zh-CN")}\"><head><meta charset=\"utf-8\"><title>429</title><link rel=\"stylesheet\" href=\"/css/hall.css\"></head><body><main class=\"page\"><h1>{System.Net.WebUtility.HtmlEncode(text)}</h1></main></body></html>",
                    cancellationToken);
            };
        });

        builder.Services.AddHealthChecks().AddCheck<IdentityReachable>("identity", tags: ["ready"]);
        builder.Services.AddHttpClient(IdentityReachable.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        return builder;
    }

    public static WebApplication UseHallDefaults(this WebApplication app)
    {
        app.UseExceptionHandler("/Error");
        app.UseStatusCodePagesWithReExecute("/Error", "?status={0}");
        app.UseMiddleware<SecurityHeaders>();
        app.UseStaticFiles();
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        // Razor Pages check their forms' tokens themselves; this checks the minimal endpoints' (/culture, /signout).
        app.UseAntiforgery();
        return app;
    }

    public static IEndpointRouteBuilder MapHallHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").AllowAnonymous();
        group.MapHealthChecks("/live", new HealthCheckOptions { Predicate = _ => false });
        group.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }

    /// <summary>The dev-only secrets of <c>gateway-config/local/clients.json</c>, by client id.</summary>
    internal static IReadOnlyDictionary<string, string> ReadDevSecrets(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("clients").EnumerateArray()
            .Where(c => c.TryGetProperty("clientSecret", out _))
            .ToDictionary(c => c.GetProperty("clientId").GetString()!, c => c.GetProperty("clientSecret").GetString()!, StringComparer.Ordinal);
    }

    private static string? FindConfigDirectory(IHostEnvironment environment)
    {
        foreach (var start in new[] { environment.ContentRootPath, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "gateway-config");
                if (File.Exists(Path.Combine(candidate, "local", "clients.json")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Development only: the hall's dev secret when none is configured.</summary>
    private sealed class HallDevDefaults(IHostEnvironment environment) : IPostConfigureOptions<HallOptions>
    {
        public void PostConfigure(string? name, HallOptions options)
        {
            options.ConfigDirectory ??= FindConfigDirectory(environment);
            if (environment.IsDevelopment() && string.IsNullOrEmpty(options.ClientSecret) && options.DevSecretsFile is { } file && File.Exists(file)
                && ReadDevSecrets(file).TryGetValue(options.ClientId, out var secret))
            {
                options.ClientSecret = secret;
            }

            var clerks = options.DevSecretsFile is { } secrets ? Path.Combine(Path.GetDirectoryName(secrets)!, "clerks.json") : null;
            if (environment.IsDevelopment() && clerks is not null && File.Exists(clerks))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(clerks));
                foreach (var clerk in document.RootElement.GetProperty("clerks").EnumerateArray())
                {
                    if (clerk.TryGetProperty("hall", out var hall) && clerk.TryGetProperty("hallName", out var hallName))
                    {
                        options.HallNames.TryAdd(hall.GetString()!, hallName.GetString()!);
                    }
                }
            }
        }
    }

    private sealed class HallSecretValidation(IHostEnvironment environment) : IValidateOptions<HallOptions>
    {
        public ValidateOptionsResult Validate(string? name, HallOptions options)
        {
            if (string.IsNullOrEmpty(options.ClientSecret))
            {
                return ValidateOptionsResult.Fail($"{HallOptions.Section}:ClientSecret is required: the secret of client '{options.ClientId}' (e.g. environment variable ServiceHall__ClientSecret).");
            }

            // Note: the dev secrets are in the repository; a hall using one outside Development could be impersonated by anyone who read it.
            if (!environment.IsDevelopment() && options.DevSecretsFile is { } file && File.Exists(file)
                && ReadDevSecrets(file).Values.Contains(options.ClientSecret, StringComparer.Ordinal))
            {
                return ValidateOptionsResult.Fail($"{HallOptions.Section}:ClientSecret is a dev-only secret of {file}, refused outside Development.");
            }

            if (!environment.IsDevelopment() && (options.Authority.Scheme != Uri.UriSchemeHttps || options.Gateway.Scheme != Uri.UriSchemeHttps))
            {
                return ValidateOptionsResult.Fail($"{HallOptions.Section}:Authority and {HallOptions.Section}:Gateway must be https outside Development.");
            }

            return ValidateOptionsResult.Success;
        }
    }

    /// <summary>Ready when the identity server's discovery document answers: without it no clerk can sign in.</summary>
    private sealed class IdentityReachable(IHttpClientFactory http, IOptions<HallOptions> options) : IHealthCheck
    {
        public const string HttpClientName = "health";

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var response = await http.CreateClient(HttpClientName).GetAsync(new Uri(options.Value.Authority, ".well-known/openid-configuration"), cancellationToken);
                return response.IsSuccessStatusCode ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"discovery answered {(int)response.StatusCode}");
            }
            catch (HttpRequestException e)
            {
                return HealthCheckResult.Unhealthy("identity server unreachable", e);
            }
        }
    }
}

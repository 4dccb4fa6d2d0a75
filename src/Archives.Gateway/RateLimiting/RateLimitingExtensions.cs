using System.Globalization;
using System.Threading.RateLimiting;
using Archives.Gateway.Certificates;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.RateLimiting;

internal static class RateLimitingExtensions
{
    /// <summary>
    /// Rate limits with ASP.NET Core's rate limiter: every request (but health probes) per client — the
    /// token's <c>client_id</c> — or, without a token, per client address at the lower anonymous rate; public
    /// verification by anonymous callers also per address at its own rate. Shared by every instance through
    /// Redis when <c>ConnectionStrings:Redis</c> is set, in memory otherwise. 429 problem+json with
    /// <c>Retry-After</c>. Policies: <c>gateway-config/rate-limits.json</c> (<see cref="RateLimitOptions"/>),
    /// reloaded on change. The middleware runs in <c>UseGatewayAccess</c>, between authentication and authorization.
    /// </summary>
    public static WebApplicationBuilder AddGatewayRateLimits(this WebApplicationBuilder builder)
    {
        var options = builder.Services.AddOptions<RateLimitOptions>();
        var policies = new RateLimitPolicyFile(PolicyFile(builder.Configuration, builder.Environment));
        // Made by a factory and started as a hosted service, so that the container disposes it (and its file watcher) with the host.
        builder.Services.AddSingleton(_ => policies);
        builder.Services.AddHostedService(provider => provider.GetRequiredService<RateLimitPolicyFile>());
        if (policies.Configuration is { } file)
        {
            // Gateway:RateLimits:* (bound after it) overrides the file key by key.
            options.Bind(file);
        }

        options.BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddSingleton<RateLimitRedis>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<RateLimitRedis>());
        builder.Services.AddSingleton<GatewayRateLimits>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(
                context => context.RequestServices.GetRequiredService<GatewayRateLimits>().Global(context));
            limiter.AddPolicy(CertificatesApi.VerificationRateLimit,
                context => context.RequestServices.GetRequiredService<GatewayRateLimits>().Verification(context));
        });
        return builder;
    }

    /// <summary>
    /// <c>Gateway:RateLimitsFile</c> when set (it must exist), else the nearest <c>gateway-config/rate-limits.json</c>
    /// above the content root, else none (the built-in defaults of <see cref="RateLimitOptions"/>).
    /// </summary>
    private static string? PolicyFile(IConfiguration configuration, IHostEnvironment environment)
    {
        if (configuration[RateLimitOptions.FileKey] is { Length: > 0 } configured)
        {
            var path = Path.GetFullPath(configured, environment.ContentRootPath);
            return File.Exists(path) ? path
                : throw new OptionsValidationException(RateLimitOptions.FileKey, typeof(RateLimitOptions), [$"{RateLimitOptions.FileKey}: {path} does not exist."]);
        }

        for (var directory = new DirectoryInfo(environment.ContentRootPath); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "gateway-config", "rate-limits.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>429 as problem+json, with <c>Retry-After</c> in whole seconds (at least 1).</summary>
    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var who = GatewayRateLimits.ClientOf(http) is { } client ? $"client '{client}'" : "this address";
        await TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests",
                detail: $"The rate limit of {who} is used up; retry after {seconds} s.",
                extensions: new Dictionary<string, object?> { ["retryAfter"] = seconds })
            .ExecuteAsync(http);
    }
}

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
            // Note: at start a file that cannot be read stops the gateway; after an edit that breaks it, the reload's
            // exception would escape on the file watcher's thread, so it is kept for the log instead (and the
            // built-in policies apply until the file is fixed).
            source.OnLoadException = context => context.Ignore = Report(context.Exception);
        }).Build();
        _started = true;
    }

    /// <summary>The file's full path; null when there is none (built-in policies).</summary>
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

/// <summary>The partitions: who a request counts against, under which policy.</summary>
internal sealed class GatewayRateLimits(IOptionsMonitor<RateLimitOptions> options, RateLimitRedis redis, RateLimitPolicyFile file, TimeProvider time, ILogger<GatewayRateLimits> logger)
{
    private RateLimitOptions? _lastGood;
    private string? _lastProblem;

    /// <summary>Every request: per client with a token, per address without; health probes are not limited.</summary>
    public RateLimitPartition<string> Global(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            return RateLimitPartition.GetNoLimiter("health");
        }

        var policies = Current();
        return ClientOf(context) is { } client
            ? Partition("client", client, policies.For(client))
            : Partition("anonymous", AddressOf(context), policies.Anonymous);
    }

    /// <summary>Public verification: anonymous callers per address at the verification rate; clients count under their own limit only.</summary>
    public RateLimitPartition<string> Verification(HttpContext context)
        => ClientOf(context) is not null
            ? RateLimitPartition.GetNoLimiter("verification-by-client")
            : Partition("verification", AddressOf(context), Current().Verification);

    /// <summary>The client id of a request with a valid token; null for an anonymous one (an invalid token is anonymous).</summary>
    public static string? ClientOf(HttpContext context)
        => context.User.Identity?.IsAuthenticated == true && context.User.FindFirst("client_id")?.Value is { Length: > 0 } client ? client : null;

    /// <summary>
    /// Note: the connection's address; behind a load balancer the forwarded-headers middleware must set it, or
    /// every anonymous caller shares the balancer's budget.
    /// </summary>
    private static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>
    /// The partition key names the policy's limit and window, so that an edited policy starts new windows
    /// (in memory and in Redis alike) instead of being ignored by limiters made before the edit.
    /// </summary>
    private RateLimitPartition<string> Partition(string policy, string who, RateLimitPolicy limit)
        => RateLimitPartition.Get(
            string.Create(CultureInfo.InvariantCulture, $"archives-gateway:{policy}:{who}:{limit.PermitLimit}/{(long)limit.Window.TotalSeconds}s"),
            key => new SharedWindowLimiter(key, limit, redis, time));

    /// <summary>The policies; after an invalid edit of the file, the last valid ones (the edit is logged).</summary>
    private RateLimitOptions Current()
    {
        if (file.TakeUnreported() is { } error)
        {
            logger.LogError(error, "The rate-limit policy file could not be read after an edit; the built-in policies apply until it is fixed.");
        }

        try
        {
            return _lastGood = options.CurrentValue;
        }
        catch (OptionsValidationException e) when (_lastGood is not null)
        {
            var problem = string.Join(" ", e.Failures);
            if (Interlocked.Exchange(ref _lastProblem, problem) != problem)
            {
                logger.LogError("The rate-limit policies are not valid ({Problems}); the previous ones stay in force.", problem);
            }

            return _lastGood;
        }
    }
}

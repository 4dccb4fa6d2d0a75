using System.Reflection;

namespace Archives.Local;

/// <summary>What the launcher needs to know: where the repository is and where data goes.</summary>
internal sealed record LocalOptions
{
    public required string RepositoryRoot { get; init; }

    public required string IdentityAssembly { get; init; }

    public required string GatewayAssembly { get; init; }

    public required string ServiceHallAssembly { get; init; }

    /// <summary>The service hall's address (DESIGN.md: 5200; the service-hall client's redirect URIs name it).</summary>
    public Uri ServiceHallAddress { get; init; } = new("http://127.0.0.1:5200/");

    /// <summary>The gateway's address (DESIGN.md: 5000).</summary>
    public Uri GatewayAddress { get; init; } = new("http://127.0.0.1:5000/");

    /// <summary>A Redis server (<c>host:port</c>) for the gateway's L2 cache and backplane; memory only when null.</summary>
    public string? Redis { get; init; }

    public required string NodeAssembly { get; init; }

    /// <summary>The identity server's address (DESIGN.md: 5100); also the token issuer.</summary>
    public Uri IdentityAddress { get; init; } = new("http://127.0.0.1:5100/");

    /// <summary>Where node databases and service logs live (git-ignored); reused by the next run.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The seed of the synthetic data; the same seed gives the same records.</summary>
    public int Seed { get; init; } = 2026;

    /// <summary>How long to wait for every service to become ready.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public string LocalConfigDirectory => Path.Combine(RepositoryRoot, "gateway-config", "local");

    public static LocalOptions Parse(string[] args)
    {
        var assembly = typeof(LocalOptions).Assembly;
        string Metadata(string key) => assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == key).Value ?? throw new InvalidOperationException($"Build metadata {key} is missing.");

        var root = Environment.GetEnvironmentVariable("ARCHIVES_REPOSITORY_ROOT") ?? Metadata("RepositoryRoot");
        var options = new LocalOptions
        {
            RepositoryRoot = root,
            IdentityAssembly = Metadata("IdentityAssembly"),
            GatewayAssembly = Metadata("GatewayAssembly"),
            ServiceHallAssembly = Metadata("ServiceHallAssembly"),
            Redis = Environment.GetEnvironmentVariable("ConnectionStrings__Redis"),
            NodeAssembly = Metadata("NodeAssembly"),
            DataDirectory = Path.Combine(root, "src", "Archives.Local", ".data"),
        };

        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--redis" when i + 1 < args.Length => options with { Redis = args[++i] },
                "--data" when i + 1 < args.Length => options with { DataDirectory = Path.GetFullPath(args[++i]) },
                "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], out var seed) && ++i > 0 => options with { Seed = seed },
                "--help" or "-h" => throw new UsageException(),
                _ => throw new UsageException($"Unknown argument '{args[i]}'."),
            };
        }

        return options;
    }
}

internal sealed class UsageException(string message = "") : Exception(message)
{
    public const string Usage = """
        Runs the Archives Gateway federation on this machine (loopback only).

          dotnet run --project src/Archives.Local [-- options]

          --data DIR   where databases and logs are kept (default src/Archives.Local/.data)
          --seed N     seed of the synthetic archive data (default 2026)
          --redis HOST:PORT
                       Redis for the gateway's shared cache (default: memory only;
                       also ConnectionStrings__Redis)
        """;
}

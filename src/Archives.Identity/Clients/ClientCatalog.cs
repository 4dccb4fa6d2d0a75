using System.Text.Json;
using Archives.Contracts;
using Archives.Identity.Server;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Archives.Identity.Clients;

/// <summary>A scope of <c>gateway-config/clients.json</c> and the resource (audience) its tokens are for.</summary>
internal sealed record ScopeEntry
{
    public required string Name { get; init; }

    public required string DisplayNameZh { get; init; }

    public required string DisplayNameEn { get; init; }

    public IReadOnlyList<string> Resources { get; init; } = [];
}

/// <summary>A client of <c>gateway-config/clients.json</c>: what it may ask for, and its agreement.</summary>
internal sealed record ClientEntry
{
    public required string ClientId { get; init; }

    public required string DisplayNameZh { get; init; }

    public required string DisplayNameEn { get; init; }

    /// <summary><c>confidential</c> (has a secret) or <c>public</c> (cannot keep one; PKCE only).</summary>
    public string Type { get; init; } = ClientTypes.Confidential;

    public IReadOnlyList<string> GrantTypes { get; init; } = [];

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public IReadOnlyList<Uri> RedirectUris { get; init; } = [];

    public IReadOnlyList<Uri> PostLogoutRedirectUris { get; init; } = [];

    /// <summary>The data-sharing agreement; absent for clients that read no personal records.</summary>
    public Agreement? Agreement { get; init; }
}

/// <summary>What a client's agreement lets it read: record categories, and the regions of the archives holding them.</summary>
internal sealed record Agreement
{
    /// <summary>Where the agreement is written down (title or document number).</summary>
    public string? Reference { get; init; }

    /// <summary>Record category codes (<see cref="RecordCategory"/>).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Division-code prefixes (<see cref="RegionPrefix"/>) of the archives whose records the client may read.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];
}

internal sealed record ClientsDocument
{
    public IReadOnlyList<ScopeEntry> Scopes { get; init; } = [];

    public IReadOnlyList<ClientEntry> Clients { get; init; } = [];
}

/// <summary>A client secret of <c>gateway-config/local/clients.json</c> (Development only).</summary>
internal sealed record LocalClientEntry
{
    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];
}

internal sealed record LocalClientsDocument
{
    public IReadOnlyList<LocalClientEntry> Clients { get; init; } = [];
}

/// <summary>
/// The clients and scopes the operators declared, with their secrets, read and checked once.
/// Every problem is reported with the file and the client it is in, so a bad edit stops the
/// start-up with a message that says where to look.
/// </summary>
internal sealed class ClientCatalog(IOptions<IdentityServerOptions> options)
{
    /// <summary>Scopes of OpenID Connect itself, not declared in clients.json.</summary>
    public static readonly IReadOnlySet<string> StandardScopes = new HashSet<string>(StringComparer.Ordinal)
    {
        OpenIddict.Abstractions.OpenIddictConstants.Scopes.OpenId,
        OpenIddict.Abstractions.OpenIddictConstants.Scopes.Profile,
        OpenIddict.Abstractions.OpenIddictConstants.Scopes.OfflineAccess,
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
    };

    private static readonly HashSet<string> KnownGrantTypes =
        [GrantTypes.AuthorizationCode, GrantTypes.ClientCredentials, GrantTypes.RefreshToken];

    private readonly Lazy<Loaded> _loaded = new(() => Load(options.Value));

    public IReadOnlyList<ScopeEntry> Scopes => _loaded.Value.Scopes;

    public IReadOnlyList<ClientEntry> Clients => _loaded.Value.Clients;

    /// <summary>The secret of a confidential client; null for public clients.</summary>
    public string? SecretOf(string clientId) => _loaded.Value.Secrets.GetValueOrDefault(clientId);

    private sealed record Loaded(IReadOnlyList<ScopeEntry> Scopes, IReadOnlyList<ClientEntry> Clients, IReadOnlyDictionary<string, string> Secrets);

    private static Loaded Load(IdentityServerOptions options)
    {
        var path = options.ClientsFile ?? throw new InvalidOperationException("Identity:ClientsFile is not set.");
        var document = Read<ClientsDocument>(path, "Identity:ClientsFile");
        var errors = new List<string>();

        var scopeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in document.Scopes)
        {
            if (!scopeNames.Add(scope.Name))
            {
                errors.Add($"scope '{scope.Name}' is declared twice");
            }

            if (StandardScopes.Contains(scope.Name))
            {
                errors.Add($"scope '{scope.Name}' is an OpenID Connect scope and must not be declared");
            }

            if (scope.Resources.Count == 0)
            {
                errors.Add($"scope '{scope.Name}' names no resources (audiences)");
            }
        }

        var clientIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var client in document.Clients)
        {
            var at = $"client '{client.ClientId}'";
            if (!clientIds.Add(client.ClientId))
            {
                errors.Add($"{at} is declared twice");
            }

            if (client.Type is not (ClientTypes.Confidential or ClientTypes.Public))
            {
                errors.Add($"{at}: type must be 'confidential' or 'public', not '{client.Type}'");
            }

            errors.AddRange(client.GrantTypes.Where(g => !KnownGrantTypes.Contains(g)).Select(g => $"{at}: unknown grant type '{g}'"));
            errors.AddRange(client.Scopes.Where(s => !scopeNames.Contains(s) && !StandardScopes.Contains(s)).Select(s => $"{at}: scope '{s}' is not declared under scopes"));

            if (client.Type == ClientTypes.Public && client.GrantTypes.Contains(GrantTypes.ClientCredentials))
            {
                errors.Add($"{at}: a public client cannot use client_credentials");
            }

            if (client.GrantTypes.Contains(GrantTypes.AuthorizationCode) && client.RedirectUris.Count == 0)
            {
                errors.Add($"{at}: authorization_code needs at least one redirectUris entry");
            }

            errors.AddRange(client.RedirectUris.Concat(client.PostLogoutRedirectUris)
                .Where(u => !u.IsAbsoluteUri || u.Fragment.Length > 0)
                .Select(u => $"{at}: '{u}' must be an absolute URI without a fragment"));

            if (client.Agreement is { } agreement)
            {
                errors.AddRange(agreement.Categories.Where(c => !RecordCategory.TryParse(c, out _, out _))
                    .Select(c => $"{at}: agreement category '{c}' is not one of {string.Join(", ", RecordCategory.All.Select(k => k.Code))}"));
                foreach (var region in agreement.Regions)
                {
                    if (!RegionPrefix.TryParse(region, out _, out var error))
                    {
                        errors.Add($"{at}: agreement region '{region}': {error}");
                    }
                }
            }
        }

        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.LocalClientsFile is { } localPath)
        {
            var local = Read<LocalClientsDocument>(localPath, "Identity:LocalClientsFile");
            foreach (var entry in local.Clients)
            {
                var declared = document.Clients.FirstOrDefault(c => c.ClientId == entry.ClientId);
                if (declared is null)
                {
                    errors.Add($"{localPath}: client '{entry.ClientId}' is not declared in {path}");
                }
                else if (!declared.Scopes.Order(StringComparer.Ordinal).SequenceEqual(entry.Scopes.Order(StringComparer.Ordinal)))
                {
                    errors.Add($"{localPath}: the scopes of client '{entry.ClientId}' differ from those in {path}");
                }

                secrets[entry.ClientId] = entry.ClientSecret;
            }
        }

        foreach (var (clientId, secret) in options.ClientSecrets)
        {
            secrets[clientId] = secret;
        }

        foreach (var client in document.Clients)
        {
            var hasSecret = secrets.TryGetValue(client.ClientId, out var secret) && !string.IsNullOrWhiteSpace(secret);
            if (client.Type == ClientTypes.Confidential && !hasSecret)
            {
                errors.Add($"client '{client.ClientId}' is confidential but has no secret (set Identity:ClientSecrets:{client.ClientId})");
            }
            else if (client.Type == ClientTypes.Confidential && secret!.Length < 32)
            {
                errors.Add($"client '{client.ClientId}': its secret is shorter than 32 characters (Identity:ClientSecrets:{client.ClientId})");
            }
            else if (client.Type == ClientTypes.Public && hasSecret)
            {
                errors.Add($"client '{client.ClientId}' is public and must have no secret");
            }
        }

        foreach (var unknown in secrets.Keys.Where(id => !clientIds.Contains(id)))
        {
            errors.Add($"Identity:ClientSecrets:{unknown} names a client that {path} does not declare");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Identity:ClientsFile {path}: {string.Join("; ", errors)}.");
        }

        return new Loaded(document.Scopes, document.Clients, secrets);
    }

    internal static T Read<T>(string path, string key)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{key}: {path} does not exist.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
                ?? throw new InvalidOperationException($"{key}: {path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{key}: {path} is not valid: {e.Message}", e);
        }
    }
}

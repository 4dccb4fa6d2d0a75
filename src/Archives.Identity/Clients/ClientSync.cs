using System.Globalization;
using System.Text.Json;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Archives.Identity.Clients;

/// <summary>
/// Makes OpenIddict's scopes and applications those of <see cref="ClientCatalog"/>: creates or
/// updates each one, and deletes the ones no longer declared. Idempotent: a restart on the same
/// store changes nothing, and a secret is re-hashed only when it changed.
/// </summary>
internal sealed class ClientSync(ClientCatalog catalog, IOpenIddictScopeManager scopes, IOpenIddictApplicationManager applications, ILogger<ClientSync> logger)
{
    /// <summary>Application property holding the agreement's categories (read into the <c>archives_categories</c> claim).</summary>
    public const string CategoriesProperty = "archives_categories";

    /// <summary>Application property holding the agreement's regions (read into the <c>archives_regions</c> claim).</summary>
    public const string RegionsProperty = "archives_regions";

    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in catalog.Scopes)
        {
            var descriptor = new OpenIddictScopeDescriptor
            {
                Name = entry.Name,
                DisplayName = entry.DisplayNameEn,
                DisplayNames = { [Chinese] = entry.DisplayNameZh, [English] = entry.DisplayNameEn },
            };
            descriptor.Resources.UnionWith(entry.Resources);

            if (await scopes.FindByNameAsync(entry.Name, cancellationToken) is { } scope)
            {
                await scopes.UpdateAsync(scope, descriptor, cancellationToken);
            }
            else
            {
                await scopes.CreateAsync(descriptor, cancellationToken);
                logger.LogInformation("Scope {Scope} created.", entry.Name);
            }
        }

        var declaredScopes = catalog.Scopes.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var scope in await scopes.ListAsync(count: null, offset: null, cancellationToken).ToListAsync(cancellationToken))
        {
            if (await scopes.GetNameAsync(scope, cancellationToken) is { } name && !declaredScopes.Contains(name))
            {
                await scopes.DeleteAsync(scope, cancellationToken);
                logger.LogInformation("Scope {Scope} is no longer declared and was deleted.", name);
            }
        }

        foreach (var entry in catalog.Clients)
        {
            var secret = catalog.SecretOf(entry.ClientId);
            if (await applications.FindByClientIdAsync(entry.ClientId, cancellationToken) is { } application)
            {
                var stored = new OpenIddictApplicationDescriptor();
                await applications.PopulateAsync(stored, application, cancellationToken);
                var descriptor = Describe(entry);
                // Keep the stored hash when the secret is unchanged: hashing again would only cost time.
                descriptor.ClientSecret = secret is not null && stored.ClientSecret is not null
                    && await applications.ValidateClientSecretAsync(application, secret, cancellationToken)
                    ? stored.ClientSecret
                    : secret;

                await applications.UpdateAsync(application, descriptor, cancellationToken);
            }
            else
            {
                var descriptor = Describe(entry);
                descriptor.ClientSecret = secret;
                await applications.CreateAsync(descriptor, cancellationToken);
                logger.LogInformation("Client {ClientId} created.", entry.ClientId);
            }
        }

        var declaredClients = catalog.Clients.Select(c => c.ClientId).ToHashSet(StringComparer.Ordinal);
        foreach (var application in await applications.ListAsync(count: null, offset: null, cancellationToken).ToListAsync(cancellationToken))
        {
            if (await applications.GetClientIdAsync(application, cancellationToken) is { } clientId && !declaredClients.Contains(clientId))
            {
                // Note: deleting the application also deletes its authorizations and tokens, so a
                // client removed from clients.json can no longer refresh or introspect anything.
                await applications.DeleteAsync(application, cancellationToken);
                logger.LogInformation("Client {ClientId} is no longer declared and was deleted.", clientId);
            }
        }
    }

    private static OpenIddictApplicationDescriptor Describe(ClientEntry entry)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = entry.ClientId,
            ClientType = entry.Type,
            // Clerks work for the hall's own app; there is no third party to consent to.
            ConsentType = ConsentTypes.Implicit,
            DisplayName = entry.DisplayNameEn,
            DisplayNames = { [Chinese] = entry.DisplayNameZh, [English] = entry.DisplayNameEn },
        };
        descriptor.RedirectUris.UnionWith(entry.RedirectUris);
        descriptor.PostLogoutRedirectUris.UnionWith(entry.PostLogoutRedirectUris);

        var permissions = descriptor.Permissions;
        foreach (var grantType in entry.GrantTypes)
        {
            permissions.Add(Permissions.Prefixes.GrantType + grantType);
        }

        permissions.Add(Permissions.Endpoints.Token);
        permissions.Add(Permissions.Endpoints.Revocation);
        if (entry.Type == ClientTypes.Confidential)
        {
            permissions.Add(Permissions.Endpoints.Introspection);
        }

        if (entry.GrantTypes.Contains(GrantTypes.AuthorizationCode))
        {
            permissions.Add(Permissions.Endpoints.Authorization);
            permissions.Add(Permissions.Endpoints.EndSession);
            permissions.Add(Permissions.ResponseTypes.Code);
            // Note: PKCE is required even of confidential clients, so a stolen code is useless
            // without the verifier the client kept.
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }

        foreach (var scope in entry.Scopes.Where(s => s is not (Scopes.OpenId or Scopes.OfflineAccess)))
        {
            permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        if (entry.Agreement is { } agreement)
        {
            descriptor.Properties[CategoriesProperty] = JsonSerializer.SerializeToElement(agreement.Categories);
            descriptor.Properties[RegionsProperty] = JsonSerializer.SerializeToElement(agreement.Regions);
        }

        return descriptor;
    }
}

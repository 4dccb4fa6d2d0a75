using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Archives.Identity.Connect;

/// <summary>
/// Answers a token request for a scope outside the client's permissions with
/// <c>invalid_scope</c> (RFC 6749 §5.2) rather than OpenIddict's <c>invalid_request</c>, so that
/// partners' OAuth libraries report the real cause. Runs after client authentication and just
/// before OpenIddict's own scope-permission check, which still applies.
/// </summary>
internal sealed class RejectUnpermittedScopes(IOpenIddictApplicationManager applications) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<RejectUnpermittedScopes>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateScopePermissions.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        // Codes and refresh tokens carry scopes already granted; OpenIddict checks those itself.
        if (!context.Request.IsClientCredentialsGrantType() || string.IsNullOrEmpty(context.ClientId))
        {
            return;
        }

        var application = await applications.FindByClientIdAsync(context.ClientId, context.CancellationToken);
        if (application is null)
        {
            return;
        }

        foreach (var scope in context.Request.GetScopes())
        {
            if (!await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope, context.CancellationToken))
            {
                context.Reject(Errors.InvalidScope, $"This client may not request the scope '{scope}'.");
                return;
            }
        }
    }
}

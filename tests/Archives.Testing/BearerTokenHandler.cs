using System.Net.Http.Headers;

namespace Archives.Testing;

/// <summary>
/// Adds a real token of one client, from an <see cref="IdentityServerFixture"/>, to every request
/// that has no <c>Authorization</c> header yet (a test sets its own header to send another token).
/// </summary>
/// <remarks>
/// Pass it to <c>WebApplicationFactory.CreateDefaultClient(handler)</c>, to
/// <c>AddHttpMessageHandler</c>, or set <see cref="DelegatingHandler.InnerHandler"/> and give it to
/// <c>new HttpClient(handler)</c>.
/// </remarks>
public sealed class BearerTokenHandler(IdentityServerFixture identity, string clientId, IReadOnlyList<string> scopes) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", await identity.GetTokenAsync(clientId, scopes, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}

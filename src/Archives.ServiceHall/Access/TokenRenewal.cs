using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Archives.ServiceHall.Access;

/// <summary>
/// Renews the clerk's access token with the refresh token shortly before it expires, as each request's
/// session is validated, so every gateway call of the request carries a valid token.
/// Written here because the library that does this for ASP.NET Core (Duende.AccessTokenManagement) is
/// not served by this registry. The identity server rotates refresh tokens, so two requests of one
/// session must not both spend the same one: renewals are single-flight per refresh token.
/// </summary>
internal sealed partial class TokenRenewal(
    IHttpClientFactory http, IOptionsMonitor<OpenIdConnectOptions> oidc, IOptions<Hosting.HallOptions> hall, TimeProvider time, ILogger<TokenRenewal> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Renewed?>>> _inFlight = new(StringComparer.Ordinal);

    public async Task RenewIfDueAsync(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (expiresAt is null || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiry)
            || expiry - time.GetUtcNow() > hall.Value.RenewTokensBefore)
        {
            return;
        }

        if (context.Properties.GetTokenValue("refresh_token") is not { } refreshToken)
        {
            await RejectAsync(context);
            return;
        }

        var renewal = _inFlight.GetOrAdd(refreshToken, token => new Lazy<Task<Renewed?>>(() => RefreshAsync(token)));
        Renewed? renewed;
        try
        {
            renewed = await renewal.Value;
        }
        finally
        {
            // A concurrent request of the same session that arrives a moment later finds the new tokens in the session.
            _ = Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(_ => _inFlight.TryRemove(refreshToken, out var _), TaskScheduler.Default);
        }

        if (renewed is null)
        {
            await RejectAsync(context);
            return;
        }

        context.Properties.UpdateTokenValue("access_token", renewed.AccessToken);
        context.Properties.UpdateTokenValue("refresh_token", renewed.RefreshToken);
        context.Properties.UpdateTokenValue("expires_at", renewed.ExpiresAt.ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true;
    }

    /// <summary>The session cannot call the gateway any more: the clerk goes through sign-in (and comes back).</summary>
    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private async Task<Renewed?> RefreshAsync(string refreshToken)
    {
        var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(CancellationToken.None);
            using var request = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["client_id"] = options.ClientId!,
                ["client_secret"] = options.ClientSecret!,
            });
            using var response = await http.CreateClient(nameof(TokenRenewal)).PostAsync(configuration.TokenEndpoint, request);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, (int)response.StatusCode);
                return null;
            }

            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            var root = json.RootElement;
            return new Renewed(
                root.GetProperty("access_token").GetString()!,
                root.TryGetProperty("refresh_token", out var rotated) ? rotated.GetString()! : refreshToken,
                time.GetUtcNow().AddSeconds(root.GetProperty("expires_in").GetInt32()));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            LogFailed(logger, e.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The identity server refused to renew a clerk's token ({Status}); the clerk signs in again.")]
    private static partial void LogRefused(ILogger logger, int status);

    [LoggerMessage(LogLevel.Warning, "Renewing a clerk's token failed ({Error}); the clerk signs in again.")]
    private static partial void LogFailed(ILogger logger, string error);

    private sealed record Renewed(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);
}

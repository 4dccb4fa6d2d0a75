using Archives.Gateway.Client;
using Archives.ServiceHall.Search;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Archives.ServiceHall.Hosting;

internal static class HallGateway
{
    /// <summary>
    /// The gateway SDK, calling as the signed-in clerk: every call carries the clerk's own access token (renewed by
    /// the session's validation before the request runs), so the gateway sees the clerk, their hall and their scopes
    /// and writes them into its audit log.
    /// </summary>
    public static WebApplicationBuilder AddHallGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddArchivesGatewayClient(_ => { });
        builder.Services.AddOptions<ArchivesGatewayClientOptions>().Configure<IOptions<HallOptions>>((o, hall) =>
        {
            o.BaseAddress = hall.Value.Gateway;
            // A clerk waits at the window: fail fast and say so rather than retry for minutes.
            o.TotalTimeout = TimeSpan.FromSeconds(40);
            o.AttemptTimeout = TimeSpan.FromSeconds(20);
            o.MaxRetries = 1;
            o.MaxRetryAfter = TimeSpan.FromSeconds(5);
            o.AccessTokenProvider = async (services, _) =>
                await (services.GetRequiredService<IHttpContextAccessor>().HttpContext?.GetTokenAsync("access_token") ?? Task.FromResult<string?>(null))
                ?? throw new InvalidOperationException("No signed-in clerk: the gateway is called only from a clerk's request.");
        });
        builder.Services.AddSingleton<SearchStore>();
        return builder;
    }
}

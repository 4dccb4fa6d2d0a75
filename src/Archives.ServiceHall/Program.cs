using Archives.ServiceHall.Access;
using Archives.ServiceHall.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddHallDefaults();        // options, Razor Pages, zh-CN / en, security headers, rate limit, health
builder.AddHallSignIn();          // cookie + OpenID Connect (code + PKCE); tokens kept server-side, renewed before expiry
builder.AddHallGateway();         // the gateway SDK, calling as the signed-in clerk; stored searches

var app = builder.Build();

app.UseHallDefaults();            // errors, headers, no-store, localisation, authentication, rate limit, authorization

app.MapHallHealth();              // /health/live, /health/ready
app.MapHallAccess();              // /signout, /culture
app.MapRazorPages().RequireAuthorization().RequireRateLimiting(HallDefaults.ClerkRateLimit);

app.Run();

using Archives.Identity.Clerks;
using Archives.Identity.Connect;
using Archives.Identity.Health;
using Archives.Identity.Server;

var builder = WebApplication.CreateBuilder(args);

builder.AddIdentityServer();
builder.AddClerkSignIn();
builder.AddIdentityHealth();

var app = builder.Build();

app.UseStatusCodePages(ConnectApi.WriteErrorPageAsync);
app.UseAuthentication();
app.UseAuthorization();

app.MapConnectApi();
app.MapClerkSignIn();
app.MapIdentityHealth();

app.Run();

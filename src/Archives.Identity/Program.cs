using System.Text.Encodings.Web;
using System.Text.Unicode;
using Archives.Identity.Clerks;
using Archives.Identity.Connect;
using Archives.Identity.Health;
using Archives.Identity.Server;
using Microsoft.Extensions.WebEncoders;

var builder = WebApplication.CreateBuilder(args);

builder.AddIdentityServer();
builder.AddClerkSignIn();
builder.AddIdentityHealth();
// Chinese text stays readable in the pages instead of becoming numeric character references.
builder.Services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));

var app = builder.Build();

app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapConnectApi();
app.MapClerkSignIn();
app.MapIdentityHealth();

app.Run();

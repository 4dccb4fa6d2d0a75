using Archives.Node;
using Archives.Node.Auth;
using Archives.Node.Catalogue;
using Archives.Node.Data;
using Archives.Node.Health;
using Archives.Node.Info;
using Archives.Node.OpenApi;
using Archives.Node.Problems;
using Archives.Node.Records;
using Archives.Node.Seeding;

var builder = WebApplication.CreateBuilder(args);

builder.AddNodeOptions();
builder.AddProblemHandling();
builder.AddNodeAuth();
builder.AddNodeData();
builder.AddSeeding();
builder.AddNodeHealthChecks();
builder.AddNodeOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthApi();
app.MapNodeOpenApi();

var node = app.MapGroup("/node/v1").RequireSeededDatabase();
node.MapInfoApi();

// The protected operations: only the gateway's node.api token (Auth/NodeAuth.cs).
var api = node.MapGroup("").RequireAuthorization(NodeAuth.Policy);
api.MapCatalogueApi();
api.MapRecordsApi();

app.Run();

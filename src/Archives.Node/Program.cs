using Archives.Node;
using Archives.Node.Catalogue;
using Archives.Node.Data;
using Archives.Node.Health;
using Archives.Node.Info;
using Archives.Node.Problems;
using Archives.Node.Records;
using Archives.Node.Seeding;

var builder = WebApplication.CreateBuilder(args);

builder.AddNodeOptions();
builder.AddProblemHandling();
builder.AddNodeData();
builder.AddSeeding();
builder.AddNodeHealthChecks();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapHealthApi();

var node = app.MapGroup("/node/v1").RequireSeededDatabase();
node.MapInfoApi();

// The protected operations: `.RequireAuthorization("node.api")` goes on this group when the
// identity server issues node tokens.
var api = node.MapGroup("");
api.MapCatalogueApi();
api.MapRecordsApi();

app.Run();

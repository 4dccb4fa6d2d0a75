using Archives.Gateway.Access;
using Archives.Gateway.Audit;
using Archives.Gateway.Caching;
using Archives.Gateway.Certificates;
using Archives.Gateway.Federation;
using Archives.Gateway.Hosting;
using Archives.Gateway.Ledger;
using Archives.Gateway.NodeToken;
using Archives.Gateway.OpenApi;
using Archives.Gateway.Proxy;
using Archives.Gateway.RateLimiting;
using Archives.Gateway.Registry;

var builder = WebApplication.CreateBuilder(args);

builder.AddLedger();              // the ledger database (SQLite | PostgreSQL, migrated at start) and its group-commit writer
builder.AddGatewayDefaults();     // ProblemDetails, JSON, health checks
builder.AddGatewayAccess();       // JwtBearer for archives-gateway tokens; one policy per scope (GatewayScopes)
builder.AddGatewayRateLimits();   // per client / per anonymous address (gateway-config/rate-limits.json), shared through Redis when configured
builder.AddNodeRegistry();        // gateway-config registry file → YARP clusters, the registry as the gateway sees it
builder.AddNodeProxy();           // /nodes/{nodeId}/** pass-through: one route per node, transforms, timeouts
builder.AddNodeToken();           // the gateway's own node.api token (client credentials), for node clients and proxy
builder.AddNodeClients();         // Refit IArchiveNodeApi + resilience pipeline per node authority
builder.AddGatewayCaching();      // FusionCache: memory L1, Redis L2 + backplane when configured
builder.AddFederation();          // fan-out, merge, per-node outcomes
builder.AddCertificates();        // at-most-once issuing, ES256 keys, PDF, verification
builder.AddAudit();               // audit log (档案利用登记): hash-chained, in the ledger
builder.AddGatewayOpenApi();      // the OpenAPI 3.1 document, generated from the endpoints and their policies

var app = builder.Build();

app.UseGatewayDefaults();         // exception handler, problem status pages, path guard, timeouts
app.UseGatewayAccess();           // authentication, rate limits, authorization

app.MapHealthApi();               // /health/live, /health/ready
app.MapNodesApi();                // /api/v1/nodes
app.MapCatalogueSearchApi();      // /api/v1/catalog/search (+ /stream)
app.MapRecordSearchApi();         // /api/v1/records/search (+ /stream)
app.MapCertificatesApi();         // /api/v1/certificates (+ /verify, /{number}/pdf, /{number}/revoke), /.well-known/certificate-keys
app.MapVerificationPage();        // /verify/{number}: the public page the QR code points to
app.MapCacheAdminApi();           // /api/v1/admin/nodes/{nodeId}/invalidate
app.MapAuditApi();                // /api/v1/audit (+ /verify)
app.MapNodeProxy();               // /nodes/{nodeId}/{**path}
app.MapGatewayOpenApi();          // /openapi/v1.json, /docs (Scalar, served offline)

app.Run();

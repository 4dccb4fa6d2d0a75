using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Archives.Gateway.OpenApi;

/// <summary>The document's title, bilingual description, tags and (no) servers.</summary>
internal sealed class DocumentDescription : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> TagText = new(StringComparer.Ordinal)
    {
        ["Nodes"] = "档案馆节点登记与健康状况 · The registry of archive nodes and their health",
        ["Catalogue"] = "开放档案目录联合检索（任何人可检索） · Federated open-catalogue search (anyone may search)",
        ["Personal records"] = "民生档案联合检索（限查档对象本人或其代理人，限协议范围） · Federated search of one subject's personal records, within the caller's agreement",
        ["Certificates"] = "档案查询证明：出证（至多一次）、查看、打印、撤销、核验 · Certificates: issue (at most once), read, print, revoke, verify",
        ["Admin"] = "运维操作 · Operator actions",
    };

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Archives Gateway API（跨馆查档出证网关）",
            Version = "1.0",
            Description = """
                长三角跨馆查档、跨馆出证网关：联合检索各档案馆的开放档案目录和民生档案，出具可离线核验的档案查询证明（最多跑一次）。所有错误均为 application/problem+json（RFC 9457），并注明出错字段。访问令牌由 Archives.Identity 签发；各接口所需权限范围见其安全要求。

                档案馆节点的透传路由 /nodes/{nodeId}/{**path} 不在本文档中：它原样提供档案馆节点接口（contracts/openapi/archive-node.v1.yaml），个人档案路径除外。

                The Yangtze River Delta cross-archive gateway: federated search of every archive's open catalogue and personal records, and certificates (档案查询证明) that anyone can verify, offline too. Every error is application/problem+json (RFC 9457) naming the field. Access tokens come from Archives.Identity; each operation's security requirement names the scopes it accepts.

                The pass-through /nodes/{nodeId}/{**path} is not described here: it serves the archive-node contract (contracts/openapi/archive-node.v1.yaml) as is, personal-record paths excepted.
                """,
        };

        // Relative: the document describes the gateway that serves it (the local federation's, a deployment's).
        document.Servers = [new OpenApiServer { Url = "/", Description = "提供本文档的网关 · The gateway serving this document" }];

        document.Tags = new HashSet<OpenApiTag>(TagText.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));

        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        if (!document.Components.Schemas.ContainsKey(Problems.SchemaId))
        {
            document.Components.Schemas[Problems.SchemaId] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken);
        }
    }
}

using Archives.Contracts;
using Archives.Node.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Archives.Node.Info;

internal static class InfoApi
{
    /// <summary><c>GET info</c>: public; who the node is and what it holds.</summary>
    public static IEndpointRouteBuilder MapInfoApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/info", GetInfoAsync).WithTags("Info").WithName("GetNodeInfo");
        return routes;
    }

    public static async Task<Ok<NodeInfo>> GetInfoAsync(NodeDbContext db, IOptions<NodeOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var node = options.Value;
        var year = NodeClock.CurrentYear(time);
        var byCategory = await db.PersonalRecords
            .GroupBy(r => r.Category)
            .Select(g => new { Category = g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(g => g.Category, g => g.Count, cancellationToken);

        return TypedResults.Ok(new NodeInfo
        {
            NodeId = node.Id,
            NameZh = node.NameZh,
            NameEn = node.NameEn,
            DivisionCode = node.GetDivision(),
            Level = node.GetLevel(),
            Categories = node.GetHeldCategories(),
            ContractVersion = NodeContract.Version,
            RecordCounts = new RecordCounts
            {
                OpenCatalogueEntries = await db.CatalogueItems.LongCountAsync(i => i.OpensIn <= year, cancellationToken),
                CatalogueEntries = await db.CatalogueItems.LongCountAsync(cancellationToken),
                PersonalRecords = byCategory.Values.Sum(),
                PersonalRecordsByCategory = byCategory,
            },
        });
    }
}

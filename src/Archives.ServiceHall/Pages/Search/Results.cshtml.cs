using System.Runtime.CompilerServices;
using Archives.Contracts;
using Archives.Gateway.Client;
using Archives.ServiceHall.Access;
using Archives.ServiceHall.Hosting;
using Archives.ServiceHall.Search;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Archives.ServiceHall.Pages.Search;

/// <summary>
/// The results (查询结果), streamed: the page's HTML is sent archive by archive as the gateway's record stream
/// yields each archive's answer, so the clerk sees "上海市档案馆 未响应" next to the archives that answered —
/// with no script at all.
/// </summary>
public sealed class ResultsModel(SearchStore searches, IGatewayRecordStream stream) : PageModel
{
    public StoredSearch Search { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (await searches.FindAsync(Clerk.From(User).Id, id) is not { } search)
        {
            return RedirectToPage("/Search/Index");
        }

        Search = search;
        return Page();
    }

    /// <summary>Each archive's answer, then the summary, or the problem that stopped the search; the records seen are kept for the issue page.</summary>
    public async IAsyncEnumerable<ResultItem> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var records = new List<FederatedRecord>();
        await using var events = stream.SearchAsync(Search.Request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            ResultItem? item = null;
            try
            {
                if (!await events.MoveNextAsync())
                {
                    break;
                }

                if (events.Current.Node is { } node)
                {
                    var first = records.Count;
                    records.AddRange(node.Records);
                    item = new ResultItem { Node = node, FirstIndex = first };
                }
                else if (events.Current.Summary is { } summary)
                {
                    item = new ResultItem { Summary = summary };
                }
            }
            catch (Exception e) when (GatewayProblem.From(e) is { } problem)
            {
                item = new ResultItem { Problem = problem };
            }

            if (item is not null)
            {
                yield return item;
            }

            if (item?.Problem is not null)
            {
                break;
            }
        }

        Search.Records.Clear();
        Search.Records.AddRange(records);
        await searches.SaveAsync(Clerk.From(User).Id, Search);
    }
}

public sealed record ResultItem
{
    public RecordNodeEvent? Node { get; init; }

    /// <summary>The index of the node's first record in the stored search.</summary>
    public int FirstIndex { get; init; }

    public RecordSummaryEvent? Summary { get; init; }

    public GatewayProblem? Problem { get; init; }
}

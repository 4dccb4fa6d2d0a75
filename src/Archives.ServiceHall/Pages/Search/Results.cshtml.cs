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
            // Unknown, another clerk's, or expired (two hours unused): a new search.
            return LocalRedirect("/search");
        }

        Search = search;
        return Page();
    }

    /// <summary>
    /// Each archive's answer, then the summary or the problem that stopped the search. Each archive's records are
    /// kept in the stored search as they arrive, so "出具证明" works before the slowest archive has answered.
    /// </summary>
    public async IAsyncEnumerable<ResultItem> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var clerk = Clerk.From(User).Id;
        await using var events = stream.SearchAsync(Search.Request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            ResultItem item;
            try
            {
                if (!await events.MoveNextAsync())
                {
                    yield break;
                }

                if (events.Current.Node is { } node)
                {
                    var indices = node.Records.Count == 0 ? [] : await searches.KeepRecordsAsync(clerk, Search, node.Records);
                    item = new ResultItem { Node = node, Indices = indices };
                }
                else if (events.Current.Summary is { } summary)
                {
                    item = new ResultItem { Summary = summary };
                }
                else
                {
                    continue;
                }
            }
            catch (Exception e) when (GatewayProblem.From(e) is { } problem)
            {
                item = new ResultItem { Problem = problem };
            }

            yield return item;
            if (item.Node is null)
            {
                yield break;
            }
        }
    }
}

public sealed record ResultItem
{
    public RecordNodeEvent? Node { get; init; }

    /// <summary>Each of the node's records' index in the stored search (what the issue page's link names).</summary>
    public IReadOnlyList<int> Indices { get; init; } = [];

    public RecordSummaryEvent? Summary { get; init; }

    public GatewayProblem? Problem { get; init; }
}

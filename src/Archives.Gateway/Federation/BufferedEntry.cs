using Archives.Contracts;

namespace Archives.Gateway.Federation;

/// <summary>One entry a node returned, with where it sits in the node's own result list.</summary>
/// <param name="Entry">The entry.</param>
/// <param name="PageCursor">The node cursor of the node page it came from (null for the first page).</param>
/// <param name="Index">Its index inside that node page.</param>
/// <param name="PageCount">How many entries that node page had.</param>
/// <param name="PageNextCursor">The node's cursor after that page; null when it was the node's last.</param>
internal sealed record BufferedEntry(CatalogueEntry Entry, string? PageCursor, int Index, int PageCount, string? PageNextCursor);

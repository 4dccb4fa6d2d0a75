using Archives.Contracts;

namespace Archives.Gateway.Federation;

/// <summary>An entry of the merged page, and whose it is.</summary>
internal sealed record FusedEntry(string NodeId, int Rank, double Score, CatalogueEntry Entry);

using Archives.Contracts;

namespace Archives.Gateway.Federation;

/// <summary>A validated personal-record search, within the caller's agreement (<see cref="RecordSearchApi"/>).</summary>
/// <param name="Subject">The subject, its name trimmed.</param>
/// <param name="Categories">The categories asked for, distinct; empty means all the agreement covers.</param>
/// <param name="Regions">The regions asked for, distinct; empty means all.</param>
/// <param name="Purpose">查档用途, trimmed.</param>
internal sealed record RecordQuery(Subject Subject, IReadOnlyList<RecordCategory> Categories, IReadOnlyList<RegionPrefix> Regions, string Purpose);

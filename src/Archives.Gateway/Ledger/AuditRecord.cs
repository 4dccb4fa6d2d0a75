using Archives.Contracts;
using Archives.Gateway.Access;

namespace Archives.Gateway.Ledger;

/// <summary>What a feature registers: the action, who did it, about whom, and what came of it.</summary>
/// <param name="Action">One of <see cref="AuditActions"/>.</param>
/// <param name="Caller">The authenticated caller; null for an anonymous one.</param>
internal sealed record AuditRecord(string Action, Caller? Caller)
{
    /// <summary>The subject; only its keyed hashes are stored.</summary>
    public Subject? Subject { get; init; }

    public string? Purpose { get; init; }

    public IReadOnlyList<string> Nodes { get; init; } = [];

    public string? Outcome { get; init; }

    public string? Reference { get; init; }
}

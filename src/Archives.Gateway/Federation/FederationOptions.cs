using System.ComponentModel.DataAnnotations;

namespace Archives.Gateway.Federation;

/// <summary>Federated searches (section <c>Gateway:Federation</c>).</summary>
public sealed class FederationOptions
{
    public const string Section = "Gateway:Federation";

    /// <summary>The most one federated search may take; nodes that have not answered by then are <c>timeout</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00", ErrorMessage = "Gateway:Federation:Deadline must be between 100 ms and 1 min.")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(3);

    [Range(1, 1000, ErrorMessage = "Gateway:Federation:MaxNodesPerRequest must be between 1 and 1000.")]
    public int MaxNodesPerRequest { get; set; } = 50;

    [Range(1, Archives.Contracts.NodeContract.MaxLimit, ErrorMessage = "Gateway:Federation:MaxLimit must be between 1 and the node contract's MaxLimit (100).")]
    public int MaxLimit { get; set; } = 100;

    [Range(1, Archives.Contracts.NodeContract.MaxLimit, ErrorMessage = "Gateway:Federation:DefaultLimit must be between 1 and 100.")]
    public int DefaultLimit { get; set; } = 20;

    /// <summary>The most regions a personal-record search may name.</summary>
    [Range(1, 100, ErrorMessage = "Gateway:Federation:MaxRegionsPerRequest must be between 1 and 100.")]
    public int MaxRegionsPerRequest { get; set; } = 10;

    [Range(256, 65536, ErrorMessage = "Gateway:Federation:MaxCursorLength must be between 256 and 65536.")]
    public int MaxCursorLength { get; set; } = 8192;
}

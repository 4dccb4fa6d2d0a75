using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Federation;

/// <summary>Calls to nodes (section <c>Gateway:NodeClient</c>); the resilience pipeline is under <c>Gateway:NodeClient:Resilience</c>.</summary>
public sealed class NodeClientOptions
{
    public const string Section = "Gateway:NodeClient";

    /// <summary>The largest node response body read, in bytes; a larger one is an error, so a node cannot exhaust the gateway's memory.</summary>
    [Range(1024, 64 * 1024 * 1024, ErrorMessage = "Gateway:NodeClient:MaxResponseBytes must be between 1 KiB and 64 MiB.")]
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    [Required]
    [ValidateObjectMembers]
    public NodeResilienceOptions Resilience { get; set; } = new();
}

using System.ComponentModel.DataAnnotations;

namespace Archives.Gateway.Registry;

/// <summary>Where the node registry is (section <c>Gateway</c>).</summary>
public sealed class RegistryOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// The registry file: YARP's own format with only <c>ReverseProxy:Clusters</c>, one cluster per node
    /// (<c>gateway-config/local/nodes.json</c> in Development). Relative paths are resolved against the
    /// content root. Edits are picked up without a restart.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Gateway:RegistryFile is required: the path of the node registry (gateway-config/…/nodes.json).")]
    public string RegistryFile { get; set; } = "";
}

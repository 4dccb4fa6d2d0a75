using Archives.Contracts;

namespace Archives.Gateway.Registry;

/// <summary>What the registry file says about a node (its cluster metadata).</summary>
internal sealed record NodeDescription(
    string NodeId,
    string NameZh,
    string NameEn,
    DivisionCode? DivisionCode,
    DivisionLevel? Level,
    string? Province,
    IReadOnlyList<RecordCategory> Categories)
{
    public static NodeDescription From(Yarp.ReverseProxy.Configuration.ClusterConfig config, ILogger logger)
    {
        var metadata = config.Metadata ?? new Dictionary<string, string>();
        string? Get(string key) => metadata.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        DivisionCode.TryParse(Get("divisionCode") ?? config.ClusterId, out var division, out _);
        DivisionLevel? level = Get("level") switch
        {
            "province" => DivisionLevel.Province,
            "city" => DivisionLevel.City,
            "county" => DivisionLevel.County,
            _ => division?.Level,
        };

        var categories = new List<RecordCategory>();
        foreach (var code in (Get("categories") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (RecordCategory.TryParse(code, out var category, out _))
            {
                categories.Add(category);
            }
            else
            {
                logger.LogWarning("Registry node {NodeId}: unknown record category '{Category}' in metadata is ignored.", config.ClusterId, code);
            }
        }

        return new NodeDescription(
            config.ClusterId,
            Get("nameZh") ?? config.ClusterId,
            Get("nameEn") ?? config.ClusterId,
            division,
            level,
            Get("province"),
            categories);
    }
}

using System.ComponentModel.DataAnnotations;
using Archives.Contracts;

namespace Archives.Node;

/// <summary>
/// The node's identity, its data and its synthetic volumes (configuration section <c>Node</c>).
/// Identity arrives by configuration or command line (<c>--Node:Id=330100 --Node:NameZh=杭州市档案馆</c>),
/// as the local-federation launcher passes it from the registry's cluster metadata.
/// </summary>
internal sealed class NodeOptions : IValidatableObject
{
    public const string Section = "Node";

    /// <summary>The node id in the registry; by convention the division code.</summary>
    [Required(ErrorMessage = "Node:Id is required.")]
    [RegularExpression("^[0-9A-Za-z-]{1,32}$", ErrorMessage = "Node:Id is 1 to 32 letters, digits or '-'.")]
    public string Id { get; set; } = "";

    [Required(ErrorMessage = "Node:NameZh (the archive's Chinese name) is required.")]
    [StringLength(100, ErrorMessage = "Node:NameZh has at most 100 characters.")]
    public string NameZh { get; set; } = "";

    [Required(ErrorMessage = "Node:NameEn (the archive's English name) is required.")]
    [StringLength(200, ErrorMessage = "Node:NameEn has at most 200 characters.")]
    public string NameEn { get; set; } = "";

    /// <summary>The division the archive serves; the node id when absent.</summary>
    public string? DivisionCode { get; set; }

    /// <summary>Province, city or county; from the division code when absent.</summary>
    public DivisionLevel? Level { get; set; }

    /// <summary>
    /// Record category codes held (<c>marriage,educated-youth</c>); all of them when empty. A
    /// comma-separated string is accepted as well as a configuration array.
    /// </summary>
    public List<string> Categories { get; set; } = [];

    /// <summary>Where the database lives; <c>.data/nodes/{Id}</c> under the content root when absent.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The seed of the synthetic data: the same seed and division give the same database.</summary>
    public int Seed { get; set; } = 1;

    [Range(0, 5_000_000, ErrorMessage = "Node:CatalogueEntries is 0 to 5,000,000.")]
    public int CatalogueEntries { get; set; } = 100_000;

    [Range(0, 1_000_000, ErrorMessage = "Node:PersonalRecords is 0 to 1,000,000.")]
    public int PersonalRecords { get; set; } = 20_000;

    /// <summary>Optional <c>demo-citizens.json</c>: its records for this node are seeded too.</summary>
    public string? DemoCitizensFile { get; set; }

    /// <summary>How long a paper record takes to be retrieved (调档) before its evidence is available.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "Node:RetrievalDelay is between 00:00:00 and 30.00:00:00.")]
    public TimeSpan RetrievalDelay { get; set; } = TimeSpan.FromSeconds(30);

    // Methods, not properties: options validation reads every property, and these throw until the options are valid.

    /// <summary>The parsed division code (valid once the options are validated).</summary>
    public DivisionCode GetDivision() => Contracts.DivisionCode.Parse(string.IsNullOrWhiteSpace(DivisionCode) ? Id : DivisionCode);

    /// <summary>The level, given or derived from the division code.</summary>
    public DivisionLevel GetLevel() => Level ?? GetDivision().Level;

    /// <summary>The categories held, parsed, in the contract's order.</summary>
    public IReadOnlyList<RecordCategory> GetHeldCategories() => Categories.Count == 0
        ? RecordCategory.All
        : [.. RecordCategory.All.Where(c => Categories.Any(code => RecordCategory.TryParse(code, out var parsed, out _) && parsed == c))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Contracts.DivisionCode.TryParse(string.IsNullOrWhiteSpace(DivisionCode) ? Id : DivisionCode, out _, out var error))
        {
            yield return new ValidationResult($"Node:DivisionCode (or Node:Id when it is absent): {error}", [nameof(DivisionCode)]);
        }

        foreach (var code in Categories)
        {
            if (!RecordCategory.TryParse(code, out _, out var categoryError))
            {
                yield return new ValidationResult($"Node:Categories: '{code}': {categoryError}", [nameof(Categories)]);
            }
        }
    }
}

internal static class NodeOptionsExtensions
{
    /// <summary>Binds and validates <see cref="NodeOptions"/>; bad configuration stops the process naming the key.</summary>
    public static WebApplicationBuilder AddNodeOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NodeOptions>()
            .BindConfiguration(NodeOptions.Section)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                // The registry's cluster metadata carries categories as one comma-separated string,
                // which the binder cannot put into a list by itself.
                var scalar = configuration[$"{NodeOptions.Section}:{nameof(NodeOptions.Categories)}"];
                if (scalar is not null)
                {
                    options.Categories = [.. scalar.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}

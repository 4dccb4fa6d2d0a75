namespace Archives.Contracts;

/// <summary>What an archive node says about itself (<c>GET /node/v1/info</c>, public).</summary>
public sealed record NodeInfo
{
    /// <summary>The node id in the registry: by convention the division code of the archive's division (<c>330106</c>).</summary>
    public required string NodeId { get; init; }

    /// <summary>The archive's Chinese name (浙江省档案馆).</summary>
    public required string NameZh { get; init; }

    /// <summary>The archive's English name (Zhejiang Provincial Archives).</summary>
    public required string NameEn { get; init; }

    /// <summary>The division the archive serves.</summary>
    public required DivisionCode DivisionCode { get; init; }

    /// <summary>Province, city or county archive.</summary>
    public required DivisionLevel Level { get; init; }

    /// <summary>The personal-record categories (民生档案) the archive holds.</summary>
    public required IReadOnlyList<RecordCategory> Categories { get; init; }

    /// <summary>How many records the archive holds, for operators and for sizing queries.</summary>
    public required RecordCounts RecordCounts { get; init; }

    /// <summary>The node contract version implemented, <c>1.0</c> for this one.</summary>
    public required string ContractVersion { get; init; }
}

/// <summary>Record counts of a node.</summary>
public sealed record RecordCounts
{
    /// <summary>Open-catalogue entries that are open to the public (开放).</summary>
    public required long OpenCatalogueEntries { get; init; }

    /// <summary>All catalogue entries, including those not yet open.</summary>
    public required long CatalogueEntries { get; init; }

    /// <summary>Personal records, all categories.</summary>
    public required long PersonalRecords { get; init; }

    /// <summary>Personal records per category code.</summary>
    public required IReadOnlyDictionary<string, long> PersonalRecordsByCategory { get; init; }
}

/// <summary>The versions of the node contract.</summary>
public static class NodeContract
{
    /// <summary>The version this assembly describes.</summary>
    public const string Version = "1.0";

    /// <summary>The largest page of catalogue entries a node returns.</summary>
    public const int MaxLimit = 100;

    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultLimit = 20;

    /// <summary>The longest keyword query accepted, in characters.</summary>
    public const int MaxQueryLength = 100;

    /// <summary>The longest cursor accepted, in characters.</summary>
    public const int MaxCursorLength = 512;

    /// <summary>The longest subject name accepted, in characters.</summary>
    public const int MaxNameLength = 50;

    /// <summary>The longest purpose (查档用途) accepted, in characters.</summary>
    public const int MaxPurposeLength = 200;

    /// <summary>The longest record id accepted, in characters.</summary>
    public const int MaxRecordIdLength = 64;

    /// <summary>The largest request body a node accepts on <c>POST /node/v1/records/search</c>, in bytes.</summary>
    public const int MaxRequestBodyBytes = 16 * 1024;

    /// <summary>The earliest year a catalogue search may name.</summary>
    public const int MinYear = 1000;

    /// <summary>The latest year a catalogue search may name.</summary>
    public const int MaxYear = 2100;

    /// <summary>
    /// Request headers that carry the subject on <c>GET /node/v1/records/{recordId}</c>.
    /// Note: personal data travels in headers, never in the URL, so that it stays out of access
    /// logs and proxies' request lines. The name is percent-encoded UTF-8.
    /// </summary>
    public static class SubjectHeaders
    {
        /// <summary>The subject's ID number (18 characters).</summary>
        public const string IdNumber = "Archives-Subject-Id-Number";

        /// <summary>The subject's name, percent-encoded UTF-8 (<c>%E5%BC%A0%E4%B8%89</c>).</summary>
        public const string Name = "Archives-Subject-Name";

        /// <summary>The subject's birth date, <c>yyyy-MM-dd</c>.</summary>
        public const string BirthDate = "Archives-Subject-Birth-Date";
    }
}

namespace Archives.Node.Catalogue;

/// <summary>A file-level description in the catalogue (开放档案目录 and the entries not yet open).</summary>
internal sealed class CatalogueItem
{
    /// <summary>Ascending as entries are added (AUTOINCREMENT): the cursor's watermark relies on it.</summary>
    public long Id { get; set; }

    /// <summary>全宗号, e.g. <c>J012</c>.</summary>
    public required string FondsCode { get; set; }

    /// <summary>The fonds' creator, e.g. 杭州市民政局.</summary>
    public required string FondsName { get; set; }

    /// <summary>档号 as written.</summary>
    public required string ArchivalReference { get; set; }

    /// <summary>题名.</summary>
    public required string Title { get; set; }

    public int Year { get; set; }

    /// <summary>The catalogue category code.</summary>
    public required string Category { get; set; }

    /// <summary>
    /// The year the entry opens to the public: 25 years after its creation under the 2020 Archives
    /// Law (Art. 27), so the entry is searchable once the current year reaches it. Null while the
    /// entry stays under controlled use (控制使用) past that age.
    /// </summary>
    public int? OpensIn { get; set; }
}

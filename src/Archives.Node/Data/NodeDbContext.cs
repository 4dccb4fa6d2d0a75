using Archives.Node.Catalogue;
using Archives.Node.Records;
using Archives.Node.Seeding;
using Microsoft.EntityFrameworkCore;

namespace Archives.Node.Data;

/// <summary>
/// The node's database: one SQLite file per node. The catalogue's full-text index
/// (<see cref="CatalogueIndex"/>) is an FTS5 table that EF does not model; it is created and
/// queried with SQL beside this context.
/// </summary>
internal sealed class NodeDbContext(DbContextOptions<NodeDbContext> options) : DbContext(options)
{
    public DbSet<CatalogueItem> CatalogueItems => Set<CatalogueItem>();

    public DbSet<PersonalRecord> PersonalRecords => Set<PersonalRecord>();

    public DbSet<Retrieval> Retrievals => Set<Retrieval>();

    public DbSet<SeedMarker> SeedMarkers => Set<SeedMarker>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CatalogueItem>(e =>
        {
            e.ToTable(CatalogueIndex.ItemsTable);
            // AUTOINCREMENT: ids never go back, even after a delete, so a cursor's watermark holds.
            e.Property(i => i.Id).ValueGeneratedOnAdd().HasAnnotation("Sqlite:Autoincrement", true);
            e.Property(i => i.FondsCode).HasMaxLength(16);
            e.Property(i => i.FondsName).HasMaxLength(100);
            e.Property(i => i.ArchivalReference).HasMaxLength(64);
            e.Property(i => i.Title).HasMaxLength(500);
            e.Property(i => i.Category).HasMaxLength(32);
            // Browsing without keywords walks this index newest first, checks openness inside it and
            // stops after a page; no table row is read for the entries it skips.
            e.HasIndex(i => new { i.Year, i.Id, i.OpensIn, i.Category }, "IX_catalogue_items_browse").IsDescending(true, false, false, false);
            // The same by category, and the facets of a browse (grouped by category and year) read only this index.
            e.HasIndex(i => new { i.Category, i.Year, i.Id, i.OpensIn }, "IX_catalogue_items_category").IsDescending(false, true, false, false);
        });

        modelBuilder.Entity<PersonalRecord>(e =>
        {
            e.ToTable("personal_records");
            e.Property(r => r.Id).HasMaxLength(40);
            e.Property(r => r.Category).HasMaxLength(32);
            e.Property(r => r.IdNumber).HasMaxLength(18);
            e.Property(r => r.SubjectName).HasMaxLength(50);
            e.HasIndex(r => r.IdNumber);
            e.HasIndex(r => new { r.SubjectName, r.SubjectBirthDate });
        });

        modelBuilder.Entity<Retrieval>(e =>
        {
            e.ToTable("retrievals");
            e.HasKey(r => r.RecordId);
        });

        modelBuilder.Entity<SeedMarker>(e =>
        {
            e.ToTable("seed_marker");
            e.Property(m => m.Id).ValueGeneratedNever();
        });
    }
}

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
            // Browsing without keywords walks this index newest first and stops after a page.
            e.HasIndex(i => new { i.Year, i.Id }).IsDescending(true, false);
            // Counts and facets of open entries read only this covering index.
            e.HasIndex(i => new { i.OpensIn, i.Category, i.Year });
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

using Archives.Identity.Clerks;
using Microsoft.EntityFrameworkCore;

namespace Archives.Identity.Server;

/// <summary>The identity store: OpenIddict's applications, authorizations, scopes and tokens, and the clerks.</summary>
internal sealed class IdentityDb(DbContextOptions<IdentityDb> options) : DbContext(options)
{
    public DbSet<Clerk> Clerks => Set<Clerk>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.UseOpenIddict();
        modelBuilder.Entity<Clerk>(clerk =>
        {
            clerk.HasIndex(c => c.UserName).IsUnique();
            clerk.HasIndex(c => c.Subject).IsUnique();
            clerk.Property(c => c.Subject).HasMaxLength(64);
            clerk.Property(c => c.UserName).HasMaxLength(64);
            clerk.Property(c => c.DisplayName).HasMaxLength(100);
            clerk.Property(c => c.Hall).HasMaxLength(6);
            clerk.Property(c => c.HallName).HasMaxLength(100);
            clerk.Property(c => c.Role).HasMaxLength(32);
        });
    }
}

using Archives.Contracts;
using Archives.Identity.Clients;
using Archives.Identity.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Archives.Identity.Clerks;

/// <summary>
/// Makes the clerks in the store those of the clerks file: creates or updates each declared
/// clerk, hashes a password only when it changed, and deactivates clerks no longer declared.
/// Without a clerks file (outside Development) the store's clerks are left as they are.
/// </summary>
internal sealed class ClerkSync(IdentityDb db, IPasswordHasher<Clerk> hasher, IOptions<IdentityServerOptions> options, ILogger<ClerkSync> logger)
{
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ClerksFile is not { } path)
        {
            return;
        }

        var declared = ClientCatalog.Read<ClerksDocument>(path, "Identity:ClerksFile").Clerks;
        Check(declared, path);

        var existing = await db.Clerks.ToDictionaryAsync(c => c.UserName, StringComparer.Ordinal, cancellationToken);
        foreach (var entry in declared)
        {
            if (!existing.Remove(entry.UserName, out var clerk))
            {
                clerk = new Clerk
                {
                    Subject = Guid.CreateVersion7().ToString("N"),
                    UserName = entry.UserName,
                    DisplayName = entry.DisplayName,
                    Hall = entry.Hall,
                    PasswordHash = "",
                };
                clerk.PasswordHash = hasher.HashPassword(clerk, entry.Password);
                db.Clerks.Add(clerk);
                logger.LogInformation("Clerk {UserName} of hall {Hall} created.", entry.UserName, entry.Hall);
            }
            else if (hasher.VerifyHashedPassword(clerk, clerk.PasswordHash, entry.Password) != PasswordVerificationResult.Success)
            {
                clerk.PasswordHash = hasher.HashPassword(clerk, entry.Password);
                clerk.FailedSignIns = 0;
                clerk.LockedUntil = null;
            }

            clerk.DisplayName = entry.DisplayName;
            clerk.Hall = entry.Hall;
            clerk.HallName = entry.HallName;
            clerk.Role = entry.Role;
            clerk.Active = true;
        }

        foreach (var removed in existing.Values.Where(c => c.Active))
        {
            removed.Active = false;
            logger.LogInformation("Clerk {UserName} is no longer declared in {Path} and is deactivated.", removed.UserName, path);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Check(IReadOnlyList<ClerkEntry> clerks, string path)
    {
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var clerk in clerks)
        {
            if (string.IsNullOrWhiteSpace(clerk.UserName) || clerk.UserName.Length > 64 || !names.Add(clerk.UserName))
            {
                errors.Add($"userName '{clerk.UserName}' is empty, longer than 64 characters or declared twice");
            }

            if (clerk.Password.Length < 12)
            {
                errors.Add($"clerk '{clerk.UserName}': the password is shorter than 12 characters");
            }

            if (!DivisionCode.TryParse(clerk.Hall, out _, out var error))
            {
                errors.Add($"clerk '{clerk.UserName}': hall '{clerk.Hall}': {error}");
            }

            if (clerk.Role is { } role && !ClerkRoles.All.Contains(role))
            {
                errors.Add($"clerk '{clerk.UserName}': role '{role}' is not one of {string.Join(", ", ClerkRoles.All)} (leave it out for an ordinary clerk)");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Identity:ClerksFile {path}: {string.Join("; ", errors)}.");
        }
    }
}

using Archives.Identity.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Archives.Identity.Clerks;

/// <summary>The outcome of a clerk's sign-in attempt.</summary>
internal abstract record SignInOutcome
{
    public sealed record Succeeded(Clerk Clerk) : SignInOutcome;

    /// <summary>Unknown user, wrong password or inactive clerk: deliberately one outcome, so the page cannot tell which.</summary>
    public sealed record Failed : SignInOutcome;

    public sealed record LockedOut(DateTimeOffset Until) : SignInOutcome;
}

/// <summary>Checks a clerk's password against the stored hash, with lockout after repeated failures.</summary>
internal sealed class ClerkSignIn(IdentityDb db, IPasswordHasher<Clerk> hasher, IOptions<IdentityServerOptions> options, TimeProvider time)
{
    // A hash of a random password, verified when the user name is unknown so that the answer
    // takes as long as for a known clerk. Note: without it, timing tells which user names exist.
    private static readonly Lazy<string> DecoyHash = new(() =>
        new PasswordHasher<Clerk>().HashPassword(null!, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));

    public async Task<SignInOutcome> CheckAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var clerk = await db.Clerks.SingleOrDefaultAsync(c => c.UserName == userName, cancellationToken);
        if (clerk is null || !clerk.Active)
        {
            hasher.VerifyHashedPassword(null!, DecoyHash.Value, password);
            return new SignInOutcome.Failed();
        }

        var now = time.GetUtcNow();
        if (clerk.LockedUntil is { } until && until > now)
        {
            return new SignInOutcome.LockedOut(until);
        }

        var result = hasher.VerifyHashedPassword(clerk, clerk.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            clerk.FailedSignIns++;
            if (clerk.FailedSignIns >= options.Value.MaxFailedSignIns)
            {
                clerk.FailedSignIns = 0;
                clerk.LockedUntil = now + options.Value.LockoutDuration;
            }

            await db.SaveChangesAsync(cancellationToken);
            return clerk.LockedUntil is { } locked && locked > now ? new SignInOutcome.LockedOut(locked) : new SignInOutcome.Failed();
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            clerk.PasswordHash = hasher.HashPassword(clerk, password);
        }

        clerk.FailedSignIns = 0;
        clerk.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        return new SignInOutcome.Succeeded(clerk);
    }

    /// <summary>The clerk behind a subject, if still active: checked again at every token request.</summary>
    public Task<Clerk?> FindActiveAsync(string subject, CancellationToken cancellationToken) =>
        db.Clerks.SingleOrDefaultAsync(c => c.Subject == subject && c.Active, cancellationToken);
}

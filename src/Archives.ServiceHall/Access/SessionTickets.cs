using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;

namespace Archives.ServiceHall.Access;

/// <summary>
/// The clerks' sessions, tokens included, in the distributed cache (memory, or Redis when configured);
/// the cookie carries only the session's random key. Tickets are stored encrypted with Data Protection,
/// so a Redis dump does not hand out refresh tokens.
/// </summary>
internal sealed class SessionTickets(IDistributedCache cache, IDataProtectionProvider protection) : ITicketStore
{
    private const string Prefix = "hall:session:";
    private readonly IDataProtector _protector = protection.CreateProtector("Archives.ServiceHall.SessionTickets");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var options = new DistributedCacheEntryOptions { AbsoluteExpiration = ticket.Properties.ExpiresUtc ?? DateTimeOffset.UtcNow.AddHours(1) };
        return cache.SetAsync(Prefix + key, _protector.Protect(TicketSerializer.Default.Serialize(ticket)), options);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var bytes = await cache.GetAsync(Prefix + key);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(bytes));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Keys rotated or another app's entry: the clerk signs in again.
            return null;
        }
    }

    public Task RemoveAsync(string key) => cache.RemoveAsync(Prefix + key);
}

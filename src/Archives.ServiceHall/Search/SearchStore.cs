using System.Security.Cryptography;
using System.Text.Json;
using Archives.Contracts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;

namespace Archives.ServiceHall.Search;

/// <summary>
/// A clerk's searches, kept server-side under a random id so that the results page, and the issue page after
/// it, name the search in their URL and never the citizen's ID number. Stored encrypted (it holds personal data)
/// and readable only by the clerk who made it.
/// </summary>
public sealed class SearchStore(IDistributedCache cache, IDataProtectionProvider protection)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IDataProtector _protector = protection.CreateProtector("Archives.ServiceHall.Searches");

    public async Task<StoredSearch> CreateAsync(string clerkId, FederatedRecordSearchRequest request)
    {
        var search = new StoredSearch { Id = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant(), Request = request };
        await SaveAsync(clerkId, search);
        return search;
    }

    public async Task<StoredSearch?> FindAsync(string clerkId, string id)
    {
        if (id.Length is 0 or > 64)
        {
            return null;
        }

        var bytes = await cache.GetAsync(Key(clerkId, id));
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StoredSearch>(_protector.Unprotect(bytes), Json);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public Task SaveAsync(string clerkId, StoredSearch search) =>
        cache.SetAsync(Key(clerkId, search.Id), _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(search, Json)),
            new DistributedCacheEntryOptions { SlidingExpiration = Lifetime });

    /// <summary>
    /// Keeps an archive's records in the search and returns the index of each. A record keeps its index for the
    /// search's life, whatever order the archives answer in when the results page is loaded again, so a link of an
    /// earlier page still names the same record. Read again before writing, so a second tab or the issue page's
    /// writes in between are not lost.
    /// </summary>
    public async Task<IReadOnlyList<int>> KeepRecordsAsync(string clerkId, StoredSearch search, IReadOnlyList<FederatedRecord> records)
    {
        var latest = await FindAsync(clerkId, search.Id) ?? search;
        var indices = records.Select(latest.Keep).ToList();
        await SaveAsync(clerkId, latest);
        return indices;
    }

    private static string Key(string clerkId, string id) => $"hall:search:{clerkId}:{id}";
}

/// <summary>One search of one clerk: what was asked, the records the archives answered, and the certificates asked for from them.</summary>
public sealed record StoredSearch
{
    public required string Id { get; init; }

    public required FederatedRecordSearchRequest Request { get; init; }

    /// <summary>
    /// Every record the archives answered with for this search, in the order first seen; a record's index is its
    /// place here (<c>/certificates/new?search={id}&amp;record={index}</c>), and stays so when the search is run again.
    /// </summary>
    public List<FederatedRecord> Records { get; init; } = [];

    /// <summary>
    /// The Idempotency-Key of each record's issue form, made when the form is first shown and kept: a refresh, a second
    /// tab or Back and resubmit send the same key, so the gateway issues one certificate.
    /// </summary>
    public Dictionary<string, string> IssueKeys { get; init; } = [];

    /// <summary>The certificate issued with each key.</summary>
    public Dictionary<string, string> Issued { get; init; } = [];

    /// <summary>The record's index, added at the end when it is new; a record seen again is replaced by its newer answer.</summary>
    internal int Keep(FederatedRecord record)
    {
        var index = Records.FindIndex(r => r.NodeId == record.NodeId && r.RecordId == record.RecordId);
        if (index < 0)
        {
            Records.Add(record);
            return Records.Count - 1;
        }

        Records[index] = record;
        return index;
    }
}

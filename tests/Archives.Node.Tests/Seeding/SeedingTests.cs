using System.Security.Cryptography;
using System.Text;
using Archives.Contracts;
using Archives.Node.Catalogue;
using Archives.Node.Data;
using Archives.Node.Seeding;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archives.Node.Tests.Seeding;

public sealed class SeedingTests : IDisposable
{
    private readonly string _directory = NodeFixture.NewDataDirectory();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SeedPlan Plan(int seed = 7, int entries = 2000, int records = 800) => new(
        "330100", DivisionCode.Parse("330100"), "杭州市档案馆", RecordCategory.All, seed, entries, records,
        DemoCitizens.Load(Repository.DemoCitizensFile), "demo");

    [Fact]
    public async Task Seed_SameParametersTwice_IdenticalDatabasesAndFirstPages()
    {
        var a = Path.Combine(_directory, "a", "node.db");
        var b = Path.Combine(_directory, "b", "node.db");

        await NodeSeeder.EnsureSeededAsync(a, Plan(), NullLogger.Instance, Ct);
        await NodeSeeder.EnsureSeededAsync(b, Plan(), NullLogger.Instance, Ct);

        Assert.Equal(Dump(a), Dump(b));
        foreach (var q in new[] { "档案", "知青 安置", "" })
        {
            Assert.Equal(await FirstPageAsync(a, q), await FirstPageAsync(b, q));
        }
    }

    [Fact]
    public async Task Seed_OtherSeed_OtherData()
    {
        var a = Path.Combine(_directory, "a", "node.db");
        var b = Path.Combine(_directory, "b", "node.db");

        await NodeSeeder.EnsureSeededAsync(a, Plan(seed: 7), NullLogger.Instance, Ct);
        await NodeSeeder.EnsureSeededAsync(b, Plan(seed: 8), NullLogger.Instance, Ct);

        Assert.NotEqual(Dump(a), Dump(b));
    }

    [Fact]
    public async Task Seed_SecondStart_ReusesTheDatabase_ChangedParameters_SeedAgain()
    {
        var path = Path.Combine(_directory, "node.db");

        var first = await NodeSeeder.EnsureSeededAsync(path, Plan(), NullLogger.Instance, Ct);
        var second = await NodeSeeder.EnsureSeededAsync(path, Plan(), NullLogger.Instance, Ct);
        var changed = await NodeSeeder.EnsureSeededAsync(path, Plan(entries: 2100), NullLogger.Instance, Ct);

        Assert.False(first.Reused);
        Assert.True(second.Reused);
        Assert.Equal(first.CatalogueEntries, second.CatalogueEntries);
        Assert.False(changed.Reused);
        Assert.Equal(2100, changed.CatalogueEntries);
        Assert.Equal("wal", Scalar(path, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Seed_InterruptedSeedingFile_IsDiscarded()
    {
        var path = Path.Combine(_directory, "node.db");
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(path + ".seeding", "half a database", Ct);

        var outcome = await NodeSeeder.EnsureSeededAsync(path, Plan(), NullLogger.Instance, Ct);

        Assert.False(outcome.Reused);
        Assert.False(File.Exists(path + ".seeding"));
        Assert.Equal("2000", Scalar(path, "SELECT count(*) FROM catalogue_items"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Dump(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var text = new StringBuilder();
        foreach (var sql in new[]
        {
            "SELECT * FROM catalogue_items ORDER BY Id",
            "SELECT * FROM personal_records ORDER BY Id",
            "SELECT rowid FROM catalogue_fts WHERE catalogue_fts MATCH 'terms : \"档案\"' ORDER BY rowid",
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.GetValue(i)).Append('|');
                }

                text.Append('\n');
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> FirstPageAsync(string path, string q)
    {
        await using var db = new NodeDbContext(new DbContextOptionsBuilder<NodeDbContext>().UseSqlite(NodeDatabase.ConnectionStringFor(path)).Options);
        var errors = new Dictionary<string, string[]>();
        var query = CatalogueQuery.TryParse(q, null, null, null, null, "20", errors)!;
        var page = await CatalogueSearch.SearchAsync(db, new MemoryCache(new MemoryCacheOptions()), query, 2026, Ct);
        return System.Text.Json.JsonSerializer.Serialize(page);
    }
}

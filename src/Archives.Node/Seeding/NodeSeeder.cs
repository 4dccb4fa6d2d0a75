using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Archives.Contracts;
using Archives.Node.Catalogue;
using Archives.Node.Data;
using Archives.Node.Records;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Archives.Node.Seeding;

/// <summary>The one row that says what a database was seeded with.</summary>
internal sealed class SeedMarker
{
    public int Id { get; set; } = 1;

    /// <summary>The <see cref="SeedPlan.Fingerprint"/> the database was seeded with.</summary>
    public required string Fingerprint { get; set; }

    public long CatalogueEntries { get; set; }

    public long PersonalRecords { get; set; }

    public long DemoRecords { get; set; }
}

/// <summary>What to seed: everything that determines the database's content, and nothing else (no clock).</summary>
internal sealed record SeedPlan(
    string NodeId,
    DivisionCode Division,
    string NameZh,
    IReadOnlyList<RecordCategory> Categories,
    int Seed,
    int CatalogueEntries,
    int PersonalRecords,
    DemoCitizensFile? Demo,
    string? DemoFileHash)
{
    /// <summary>Bumped whenever the schema or the generators change, so older databases are seeded again.</summary>
    public const int GeneratorVersion = 2;

    public string Fingerprint => JsonSerializer.Serialize(new
    {
        GeneratorVersion,
        NodeId,
        Division = Division.Value,
        Categories = Categories.Select(c => c.Code),
        Seed,
        CatalogueEntries,
        PersonalRecords,
        DemoFileHash,
    });

    public static SeedPlan From(NodeOptions options, string contentRoot)
    {
        DemoCitizensFile? demo = null;
        string? hash = null;
        if (!string.IsNullOrWhiteSpace(options.DemoCitizensFile))
        {
            var path = Path.GetFullPath(options.DemoCitizensFile, contentRoot);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"Node:DemoCitizensFile '{path}' does not exist.");
            }

            demo = DemoCitizens.Load(path);
            hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }

        return new SeedPlan(options.Id, options.GetDivision(), options.NameZh, options.GetHeldCategories(), options.Seed,
            options.CatalogueEntries, options.PersonalRecords, demo, hash);
    }
}

internal sealed record SeedOutcome(bool Reused, TimeSpan Elapsed, long CatalogueEntries, long PersonalRecords, long DemoRecords);

/// <summary>
/// Creates and fills a node's database on first start; later starts reuse it while the seed
/// parameters (the marker row) are unchanged, and re-seed it when they change.
/// </summary>
internal static class NodeSeeder
{
    public static async Task<SeedOutcome> EnsureSeededAsync(string databasePath, SeedPlan plan, ILogger logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        var fingerprint = plan.Fingerprint;
        if (File.Exists(databasePath))
        {
            var marker = ReadMarker(databasePath);
            if (marker?.Fingerprint == fingerprint)
            {
                logger.LogInformation("Node {NodeId}: reusing the seeded database {Path}.", plan.NodeId, databasePath);
                return new SeedOutcome(true, TimeSpan.Zero, marker.CatalogueEntries, marker.PersonalRecords, marker.DemoRecords);
            }

            logger.LogWarning("Node {NodeId}: the database {Path} was seeded with other parameters (or not completely); seeding it again.", plan.NodeId, databasePath);
        }

        var stopwatch = Stopwatch.StartNew();
        var seedingPath = databasePath + ".seeding";
        DeleteDatabase(seedingPath);
        var outcome = await SeedAsync(seedingPath, plan, logger, cancellationToken);

        // The finished file replaces the old one in one rename: a process killed while seeding
        // leaves only the .seeding file, which the next start discards.
        SqliteConnection.ClearAllPools();
        DeleteDatabase(databasePath);
        File.Move(seedingPath, databasePath);
        stopwatch.Stop();
        logger.LogInformation(
            "Node {NodeId}: seeded {CatalogueEntries} catalogue entries, {PersonalRecords} personal records and {DemoRecords} demo records in {Seconds:0.0} s.",
            plan.NodeId, outcome.CatalogueEntries, outcome.PersonalRecords, outcome.DemoRecords, stopwatch.Elapsed.TotalSeconds);
        return outcome with { Elapsed = stopwatch.Elapsed };
    }

    private static SeedMarker? ReadMarker(string path)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT Fingerprint, CatalogueEntries, PersonalRecords, DemoRecords FROM seed_marker WHERE Id = 1";
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new SeedMarker { Fingerprint = reader.GetString(0), CatalogueEntries = reader.GetInt64(1), PersonalRecords = reader.GetInt64(2), DemoRecords = reader.GetInt64(3) }
                : null;
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }
    }

    /// <summary>
    /// Fills a new database file. The bulk of it goes through raw <see cref="SqliteCommand"/>s
    /// with prepared parameters in one transaction, on a file with no journal: EF's change
    /// tracker and per-entity SQL would take minutes for 100,000 entries and their index rows,
    /// this takes seconds, and the file is thrown away if anything fails. Everything else in the
    /// node uses the DbContext.
    /// </summary>
    private static async Task<SeedOutcome> SeedAsync(string path, SeedPlan plan, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;", cancellationToken);

        await using (var db = new NodeDbContext(new DbContextOptionsBuilder<NodeDbContext>().UseSqlite(connection).Options))
        {
            await db.Database.EnsureCreatedAsync(cancellationToken);
        }

        await ExecuteAsync(connection, CatalogueIndex.CreateFtsTable, cancellationToken);

        var places = NodePlaces.For(plan.Division, plan.NameZh);
        long entries = 0, records = 0, demoRecords = 0;
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            entries = InsertCatalogue(connection, transaction, CatalogueGenerator.Generate(places, plan.Seed, plan.CatalogueEntries), cancellationToken);
            records = InsertRecords(connection, transaction, RecordGenerator.Generate(places, plan.Categories, plan.Seed, plan.PersonalRecords), cancellationToken);
            if (plan.Demo is not null)
            {
                var skipped = plan.Demo.Subjects.SelectMany(s => s.Records).Count(r => r.NodeId == plan.NodeId && !plan.Categories.Contains(r.Category));
                if (skipped > 0)
                {
                    logger.LogWarning("Node {NodeId}: {Count} demo records are in categories this node does not hold; they are left out.", plan.NodeId, skipped);
                }

                demoRecords = InsertRecords(connection, transaction, DemoCitizens.RecordsFor(plan.Demo, plan.NodeId, places, plan.Categories), cancellationToken);
            }

            using (var marker = connection.CreateCommand())
            {
                marker.Transaction = transaction;
                marker.CommandText = "INSERT INTO seed_marker (Id, Fingerprint, CatalogueEntries, PersonalRecords, DemoRecords) VALUES (1, $f, $c, $p, $d)";
                marker.Parameters.AddWithValue("$f", plan.Fingerprint);
                marker.Parameters.AddWithValue("$c", entries);
                marker.Parameters.AddWithValue("$p", records);
                marker.Parameters.AddWithValue("$d", demoRecords);
                marker.ExecuteNonQuery();
            }

            await transaction.CommitAsync(cancellationToken);
        }

        // Merge the index segments into one b-tree (faster queries), give the planner statistics,
        // and switch to WAL so readers never wait for the rare writer (retrievals, new entries).
        await ExecuteAsync(connection, $"INSERT INTO {CatalogueIndex.FtsTable} ({CatalogueIndex.FtsTable}) VALUES ('optimize'); ANALYZE;", cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken);
        return new SeedOutcome(false, TimeSpan.Zero, entries, records, demoRecords);
    }

    private static long InsertCatalogue(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<CatalogueItem> items, CancellationToken cancellationToken)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"""
            INSERT INTO {CatalogueIndex.ItemsTable} (Id, FondsCode, FondsName, ArchivalReference, Title, Year, Category, OpensIn)
            VALUES ($id, $fondsCode, $fondsName, $reference, $title, $year, $category, $opensIn)
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        var fondsCode = insert.Parameters.Add("$fondsCode", SqliteType.Text);
        var fondsName = insert.Parameters.Add("$fondsName", SqliteType.Text);
        var reference = insert.Parameters.Add("$reference", SqliteType.Text);
        var title = insert.Parameters.Add("$title", SqliteType.Text);
        var year = insert.Parameters.Add("$year", SqliteType.Integer);
        var category = insert.Parameters.Add("$category", SqliteType.Text);
        var opensIn = insert.Parameters.Add("$opensIn", SqliteType.Integer);
        insert.Prepare();

        using var index = connection.CreateCommand();
        index.Transaction = transaction;
        index.CommandText = CatalogueIndex.InsertFts;
        var indexId = index.Parameters.Add("$id", SqliteType.Integer);
        var terms = index.Parameters.Add("$terms", SqliteType.Text);
        var chars = index.Parameters.Add("$chars", SqliteType.Text);
        index.Prepare();

        long count = 0;
        foreach (var item in items)
        {
            if ((count & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            id.Value = item.Id;
            fondsCode.Value = item.FondsCode;
            fondsName.Value = item.FondsName;
            reference.Value = item.ArchivalReference;
            title.Value = item.Title;
            year.Value = item.Year;
            category.Value = item.Category;
            opensIn.Value = (object?)item.OpensIn ?? DBNull.Value;
            insert.ExecuteNonQuery();

            var (itemTerms, itemChars) = CatalogueIndex.Tokens(item);
            indexId.Value = item.Id;
            terms.Value = itemTerms;
            chars.Value = itemChars;
            index.ExecuteNonQuery();
            count++;
        }

        return count;
    }

    private static long InsertRecords(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<PersonalRecord> records, CancellationToken cancellationToken)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO personal_records (Id, Category, ArchivalReference, Title, Summary, EventDate, SubjectName, SubjectBirthDate, IdNumber, Digitised, FactsJson)
            VALUES ($id, $category, $reference, $title, $summary, $eventDate, $name, $birthDate, $idNumber, $digitised, $facts)
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var category = insert.Parameters.Add("$category", SqliteType.Text);
        var reference = insert.Parameters.Add("$reference", SqliteType.Text);
        var title = insert.Parameters.Add("$title", SqliteType.Text);
        var summary = insert.Parameters.Add("$summary", SqliteType.Text);
        var eventDate = insert.Parameters.Add("$eventDate", SqliteType.Text);
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        var birthDate = insert.Parameters.Add("$birthDate", SqliteType.Text);
        var idNumber = insert.Parameters.Add("$idNumber", SqliteType.Text);
        var digitised = insert.Parameters.Add("$digitised", SqliteType.Integer);
        var facts = insert.Parameters.Add("$facts", SqliteType.Text);
        insert.Prepare();

        long count = 0;
        foreach (var record in records)
        {
            if ((count & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            id.Value = record.Id;
            category.Value = record.Category;
            reference.Value = record.ArchivalReference;
            title.Value = record.Title;
            summary.Value = record.Summary;
            // The same text form EF Core's SQLite provider writes for DateOnly.
            eventDate.Value = record.EventDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            name.Value = record.SubjectName;
            birthDate.Value = (object?)record.SubjectBirthDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? DBNull.Value;
            idNumber.Value = (object?)record.IdNumber ?? DBNull.Value;
            digitised.Value = record.Digitised ? 1 : 0;
            facts.Value = record.FactsJson;
            insert.ExecuteNonQuery();
            count++;
        }

        return count;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// Seeds the database in the background on start, then warms the search path; the node is ready
/// (health and API) once both are done.
/// </summary>
internal sealed class SeedingService(
    NodeDatabase database,
    Microsoft.Extensions.Options.IOptions<NodeOptions> options,
    IHostEnvironment environment,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<SeedingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path: /health/live answers while a large node seeds.
        // A failure stops the host (BackgroundServiceExceptionBehavior.StopHost) with the message logged.
        await Task.Run(async () =>
        {
            var plan = SeedPlan.From(options.Value, environment.ContentRootPath);
            await NodeSeeder.EnsureSeededAsync(database.FilePath, plan, logger, stoppingToken);
            await WarmUpAsync(stoppingToken);
        }, stoppingToken);
        database.MarkReady();
    }

    /// <summary>
    /// Runs one keyword search before the node says it is ready. The first query of a fresh process
    /// compiles EF Core's query pipeline and reads the index pages from disk, a second or more on a
    /// busy machine: without this, the first federated search after a restart would find the node
    /// past the gateway's deadline and report it as timed out.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = Catalogue.CatalogueQuery.TryParse("婚姻登记", null, null, null, null, "1", errors)
            ?? throw new InvalidOperationException("The warm-up query is invalid.");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.NodeDbContext>();
        var cache = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>();
        await Catalogue.CatalogueSearch.SearchAsync(db, cache, query, NodeClock.CurrentYear(time), cancellationToken);
    }
}

internal static class SeedingExtensions
{
    public static WebApplicationBuilder AddSeeding(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<SeedingService>();
        return builder;
    }
}

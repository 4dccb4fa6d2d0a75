using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Archives.Node.Data;

/// <summary>
/// Per-connection settings: searches read a few thousand random rows each, so the database file
/// is memory-mapped (the OS page cache serves reads without copies) and each connection keeps a
/// larger page cache than SQLite's 2 MiB default. WAL mode itself is persistent in the file
/// (set when it is seeded).
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const string Sql = "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -16384; PRAGMA synchronous = NORMAL;";

    public static readonly SqlitePragmas Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The node's SQLite options, shared by the app and the benchmarks.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString)
        => options.UseSqlite(connectionString)
            .AddInterceptors(Instance)
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
}

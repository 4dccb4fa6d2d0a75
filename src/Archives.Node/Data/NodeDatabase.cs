using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Archives.Node.Data;

/// <summary>Where the node's database file is, and whether it is seeded and ready to serve.</summary>
internal sealed class NodeDatabase
{
    public const string FileName = "node.db";

    private volatile bool _ready;

    public NodeDatabase(IOptions<NodeOptions> options, IHostEnvironment environment)
    {
        var node = options.Value;
        var directory = string.IsNullOrWhiteSpace(node.DataDirectory)
            ? Path.Combine(".data", "nodes", node.Id)
            : node.DataDirectory;
        Directory = Path.GetFullPath(directory, environment.ContentRootPath);
        FilePath = Path.Combine(Directory, FileName);
        ConnectionString = ConnectionStringFor(FilePath);
    }

    public string Directory { get; }

    public string FilePath { get; }

    public string ConnectionString { get; }

    /// <summary>True once the database is seeded (or found seeded) and in WAL mode.</summary>
    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;

    /// <summary>
    /// ReadWrite, not ReadWriteCreate: a request that arrives before seeding finishes must not
    /// create an empty database in the seeder's place.
    /// </summary>
    public static string ConnectionStringFor(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWrite,
        Pooling = true,
        DefaultTimeout = 10,
    }.ToString();
}

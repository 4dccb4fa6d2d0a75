namespace Archives.Gateway.Ledger;

/// <summary>
/// Where the ledger lives: bound from <c>Gateway:Certificates</c>, because its data directory also holds the
/// certificate signing keys and is configured once for both.
/// </summary>
internal sealed class LedgerOptions
{
    public const string Section = "Gateway:Certificates";

    /// <summary>Where the SQLite ledger (and by default the key directory) live; <c>.data/gateway</c> in the repository (git-ignored) when absent.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>SQLite by default; PostgreSQL when <c>ConnectionStrings:Ledger</c> is set (or when named here).</summary>
    public LedgerProvider? LedgerProvider { get; set; }

    public string LedgerFile => Path.Combine(DataDirectory!, "ledger.db");
}

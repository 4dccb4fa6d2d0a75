namespace Archives.Gateway.Ledger;

/// <summary>Where the ledger lives.</summary>
public enum LedgerProvider
{
    /// <summary>An embedded SQLite file in <see cref="LedgerOptions.DataDirectory"/> (one machine; several instances may share the file).</summary>
    Sqlite,

    /// <summary>PostgreSQL at <c>ConnectionStrings:Ledger</c> (several instances on several machines).</summary>
    PostgreSQL,
}

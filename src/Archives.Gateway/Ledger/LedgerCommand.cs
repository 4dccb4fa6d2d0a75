using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace Archives.Gateway.Ledger;

/// <summary>
/// A plain SQL command of a <see cref="LedgerBatch"/>, with its parameters bound as EF Core binds them. The command
/// belongs to the writer's connection (kept, and reused by the next write of the same SQL): not disposed here.
/// </summary>
internal sealed class LedgerCommand(DbCommand command, IRelationalTypeMappingSource mappings)
{
    /// <summary>Binds <c>@<paramref name="name"/></c> through the provider's EF Core mapping of <typeparamref name="T"/>.</summary>
    public LedgerCommand With<T>(string name, T value)
    {
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        var mapping = mappings.FindMapping(type) ?? throw new InvalidOperationException($"The ledger's provider has no mapping for {type.Name}.");
        command.Parameters.Add(mapping.CreateParameter(command, "@" + name, value, nullable: value is null));
        return this;
    }

    /// <summary>Runs the command; the number of rows it changed.</summary>
    public Task<int> ExecuteAsync() => command.ExecuteNonQueryAsync();

    /// <summary>Runs the query; its first row, read by <paramref name="read"/>, or the default when it has none.</summary>
    public async Task<T?> FirstAsync<T>(Func<DbDataReader, T> read)
    {
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? read(reader) : default;
    }
}

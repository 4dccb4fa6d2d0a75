using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Archives.Gateway.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Archives.Gateway.Certificates;

/// <summary>
/// Every write to the ledger's database (certificates, idempotency keys, the audit log) from this instance,
/// committed in groups: one writer takes whatever work is waiting, runs each piece in a savepoint of one
/// transaction, and commits once. A piece's task completes only after that commit, so whatever a caller
/// answers on (a 201, a served personal record) is durable first — the commit still syncs to disk
/// (SQLite's <c>synchronous=FULL</c>, PostgreSQL's commit) — but concurrent requests share the sync.
/// </summary>
/// <remarks>
/// Why by hand: neither EF Core nor the SQLite provider batches independent units of work into one
/// commit. It also spares SQLite's write lock: with one writer per instance the requests of an instance
/// queue here, asynchronously, instead of meeting <c>SQLITE_BUSY</c>, on which Microsoft.Data.Sqlite
/// sleeps the thread and retries. Several instances on one SQLite file still take turns on its lock.
/// A piece that throws is rolled back to its savepoint and fails alone; a failed commit fails the group, each piece with <see cref="LedgerUnavailableException"/> (a 503).
/// Metrics (meter <c>Archives.Gateway.Ledger</c>): <c>archives.ledger.group.writes</c> (writes per commit) and
/// <c>archives.ledger.group.duration</c> (seconds from the transaction's start to its commit).
/// </remarks>
internal sealed class LedgerWriter : IAsyncDisposable
{
    /// <summary>At most this many pieces of work in one transaction (a bound on how long one commit holds the lock).</summary>
    private const int MaxGroup = 64;

    private readonly IDbContextFactory<CertificateLedger> _ledgers;
    private readonly IServiceProvider _services;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly Histogram<int> _groupWrites;
    private readonly Histogram<double> _groupDuration;
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private CertificateLedger? _ledger;

    public LedgerWriter(IDbContextFactory<CertificateLedger> ledgers, IServiceProvider services, IMeterFactory meters, ILogger<LedgerWriter> logger)
    {
        _ledgers = ledgers;
        _services = services;
        _logger = logger;
        var meter = meters.Create("Archives.Gateway.Ledger");
        _groupWrites = meter.CreateHistogram<int>("archives.ledger.group.writes", "{write}", "Writes committed together in one ledger transaction.");
        _groupDuration = meter.CreateHistogram<double>("archives.ledger.group.duration", "s", "Time from a ledger transaction's start to its commit.");
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in the next group's transaction and returns its result once that
    /// transaction committed. Not cancellable: work handed over is done (or fails) whoever still waits.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<LedgerBatch, Task<T>> work)
    {
        var item = new Work<T>(work);
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(LedgerWriter), "The ledger writer has stopped (the gateway is shutting down).");
        }

        return item.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        await CloseAsync();
    }

    private async Task RunAsync()
    {
        var group = new List<Work>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var item))
            {
                group.Add(item);
            }

            try
            {
                await CommitAsync(group);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "A ledger transaction of {Count} writes failed (answered 503); none took effect, unless the connection was lost during the commit itself.", group.Count);
                var unavailable = new LedgerUnavailableException(e);
                foreach (var item in group)
                {
                    item.Fail(unavailable);
                }
            }

            group.Clear();
        }
    }

    private async Task CommitAsync(List<Work> group)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await CommitAsync(group, _ledger ??= await OpenAsync());
        }
        catch
        {
            // The connection may be what failed (a PostgreSQL restart, a full disk): the next group starts afresh.
            await CloseAsync();
            throw;
        }

        _groupWrites.Record(group.Count);
        _groupDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// The writer's own context, its connection kept open from group to group, where a context per group would
    /// take a connection from the pool each time: SQLite's page cache of the only connection that writes then
    /// stays valid, and the hot statements stay prepared (<see cref="LedgerBatch.Sql"/> keeps them per connection).
    /// </summary>
    private async Task<CertificateLedger> OpenAsync()
    {
        var ledger = await _ledgers.CreateDbContextAsync();
        await ledger.Database.OpenConnectionAsync();
        return ledger;
    }

    private async Task CloseAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }

        _commands.Clear();
        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
            _ledger = null;
        }
    }

    private async Task CommitAsync(List<Work> group, CertificateLedger ledger)
    {
        await using var transaction = await ledger.Database.BeginTransactionAsync();
        await using var batch = new LedgerBatch(ledger, transaction, _services, _commands);
        // ADO.NET's own savepoints on the transaction: the same SQL as EF's, without its command pipeline.
        var savepoints = transaction.GetDbTransaction();
        var done = new List<Work>(group.Count);
        foreach (var item in group)
        {
            await savepoints.SaveAsync(Savepoint);
            try
            {
                await item.RunAsync(batch);
                await savepoints.ReleaseAsync(Savepoint);
                done.Add(item);
            }
            catch (Exception e)
            {
                await savepoints.RollbackAsync(Savepoint);
                batch.RolledBack();
                item.Fail(e);
            }
            finally
            {
                batch.ForgetTracked();
            }
        }

        await transaction.CommitAsync();
        foreach (var item in done)
        {
            item.Complete();
        }
    }

    private const string Savepoint = "ledger_write";

    private abstract class Work
    {
        public abstract Task RunAsync(LedgerBatch batch);

        public abstract void Complete();

        public abstract void Fail(Exception e);
    }

    private sealed class Work<T>(Func<LedgerBatch, Task<T>> work) : Work
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override async Task RunAsync(LedgerBatch batch) => _result = await work(batch);

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception e) => _completion.TrySetException(e);
    }
}

/// <summary>
/// The ledger's database did not take a group of writes: the connection broke (a PostgreSQL restart), the
/// disk is full, the commit failed. Answered 503 with <c>Retry-After</c> (<see cref="LedgerUnavailableHandler"/>);
/// the writer opens a new connection for the next group. A piece of work that fails on its own (its savepoint
/// rolled back, the group committed) fails with its own exception instead.
/// </summary>
internal sealed class LedgerUnavailableException(Exception inner)
    : Exception("The certificate ledger's database did not take the write.", inner);

/// <summary>A write the ledger's database did not take is answered 503, whatever endpoint it came from.</summary>
internal sealed class LedgerUnavailableHandler(IProblemDetailsService problems) : UnavailableHandler<LedgerUnavailableException>(problems)
{
    protected override string Title => "Certificate ledger unavailable";

    // Note: not "nothing was written": a connection lost during the commit itself leaves the commit unknown.
    // The same Idempotency-Key makes the retry safe either way: a certificate is issued at most once.
    protected override string Detail
        => "The certificate ledger's database did not take the write (it may be restarting). Retry shortly with the same request and Idempotency-Key.";
}

internal static class LedgerWriterExtensions
{
    /// <summary>The instance's one <see cref="LedgerWriter"/> and the 503 for writes it could not commit (once, whoever asks first).</summary>
    public static IServiceCollection AddLedgerWriter(this IServiceCollection services)
    {
        services.TryAddSingleton<LedgerWriter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, LedgerUnavailableHandler>());
        return services;
    }
}

/// <summary>
/// The transaction a piece of ledger work runs in: the ledger context, and contexts of the same database
/// (the audit log) on the same connection and transaction.
/// </summary>
internal sealed class LedgerBatch(CertificateLedger ledger, IDbContextTransaction transaction, IServiceProvider services, Dictionary<string, DbCommand> commands)
    : IAsyncDisposable
{
    private readonly Dictionary<Type, DbContext> _contexts = new() { [typeof(CertificateLedger)] = ledger };
    private readonly Dictionary<Type, object> _remembered = [];

    public CertificateLedger Ledger => ledger;

    /// <summary>The ledger is on PostgreSQL (else SQLite).</summary>
    public bool IsPostgres { get; } = ledger.Database.IsNpgsql();

    /// <summary>
    /// A plain SQL command on this transaction's connection, for the writes every issue makes. Why not EF Core
    /// there: the writer runs one piece of work at a time, so whatever a write costs on the CPU it costs in
    /// series; EF's change tracking, update batching and query pipeline were most of that cost (about a third of
    /// the gateway's CPU per issue). The SQL is the same on SQLite and PostgreSQL (quoted identifiers, named
    /// parameters, <c>ON CONFLICT DO NOTHING</c>); values are bound through EF Core's type mappings of the
    /// provider, so they are stored exactly as EF Core stores them (a <see cref="Guid"/> or a <see cref="DateTime"/>
    /// in SQLite's text forms, PostgreSQL's uuid and timestamptz), and EF Core's queries of the same rows match them.
    /// The writer keeps each command for its connection, so SQLite parses each statement once, not once per write.
    /// </summary>
    public LedgerCommand Sql(string sql)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            command = ledger.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, command);
        }

        command.Parameters.Clear();
        command.Transaction = transaction.GetDbTransaction();
        return new LedgerCommand(command, ledger.GetService<IRelationalTypeMappingSource>());
    }

    /// <summary>A context of another part kept in the ledger's database, joined to this transaction.</summary>
    public async Task<TContext> ContextAsync<TContext>() where TContext : DbContext
    {
        if (_contexts.TryGetValue(typeof(TContext), out var known))
        {
            return (TContext)known;
        }

        var context = await services.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContextAsync();
        context.Database.SetDbConnection(ledger.Database.GetDbConnection(), contextOwnsConnection: false);
        await context.Database.UseTransactionAsync(transaction.GetDbTransaction());
        _contexts[typeof(TContext)] = context;
        return context;
    }

    /// <summary>
    /// What a part knows about the database while this transaction holds its lock (say, the audit chain's last
    /// entry), so later writes of the same transaction need not read it again. Forgotten when a write rolls back.
    /// </summary>
    public T? Recall<T>() where T : class => _remembered.TryGetValue(typeof(T), out var value) ? (T)value : null;

    /// <inheritdoc cref="Recall{T}"/>
    public void Remember<T>(T value) where T : class => _remembered[typeof(T)] = value;

    /// <summary>A piece was rolled back to its savepoint: what was remembered may no longer hold.</summary>
    internal void RolledBack() => _remembered.Clear();

    /// <summary>After each piece: what it tracked is written or rolled back, and must not leak into the next one.</summary>
    internal void ForgetTracked()
    {
        foreach (var context in _contexts.Values)
        {
            context.ChangeTracker.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (type, context) in _contexts)
        {
            if (type != typeof(CertificateLedger))
            {
                await context.DisposeAsync();
            }
        }
    }
}

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

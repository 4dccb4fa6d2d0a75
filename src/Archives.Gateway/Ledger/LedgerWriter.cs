using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Archives.Gateway.Ledger;

/// <summary>
/// Every write of this instance to the ledger, committed in groups: each piece of work runs in a savepoint of one
/// transaction, and its task completes only after the commit, so a caller answers on durable data while concurrent
/// requests share the disk sync. By hand because neither EF Core nor its providers batch independent units of work
/// into one commit (Ledger/README.md). A piece that throws fails alone; a failed commit fails each piece with
/// <see cref="LedgerUnavailableException"/> (a 503). Meter <c>Archives.Gateway.Ledger</c>: writes per commit, commit duration.
/// </summary>
internal sealed class LedgerWriter : IAsyncDisposable
{
    /// <summary>At most this many pieces of work in one transaction (a bound on how long one commit holds the lock).</summary>
    private const int MaxGroup = 64;

    private readonly IDbContextFactory<LedgerDatabase> _ledgers;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly Histogram<int> _groupWrites;
    private readonly Histogram<double> _groupDuration;
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private LedgerDatabase? _ledger;

    public LedgerWriter(IDbContextFactory<LedgerDatabase> ledgers, IMeterFactory meters, ILogger<LedgerWriter> logger)
    {
        _ledgers = ledgers;
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
    private async Task<LedgerDatabase> OpenAsync()
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

    private async Task CommitAsync(List<Work> group, LedgerDatabase ledger)
    {
        await using var transaction = await ledger.Database.BeginTransactionAsync();
        var batch = new LedgerBatch(ledger, transaction, _commands);
        await batch.LockForWritingAsync();
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

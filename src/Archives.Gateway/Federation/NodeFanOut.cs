using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Archives.Contracts;
using Archives.Gateway.Registry;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;
using Yarp.ReverseProxy.Model;

namespace Archives.Gateway.Federation;

/// <summary>
/// Asks many nodes at once under one deadline. Answers come back in the order nodes answer;
/// when the deadline passes, every node still out is reported as <see cref="NodeStatus.Timeout"/>
/// at once, whatever its call is still doing, so a hanging or dripping node costs a search at most
/// the deadline. Nodes whose every destination is down (YARP health) are not asked.
/// </summary>
internal sealed class NodeFanOut(NodeClientFactory clients, IOptionsMonitor<FederationOptions> options, ILogger<NodeFanOut> logger)
{
    public TimeSpan Deadline => options.CurrentValue.Deadline;

    /// <summary>How many calls one thread starts (<see cref="StartInSlices{T}"/>): 2–4 ms of work.</summary>
    internal const int LaunchSlice = 100;

    /// <summary>Asks every node of <paramref name="calls"/> within <paramref name="within"/>: the rest of the request's deadline when it asks nodes again.</summary>
    public async IAsyncEnumerable<NodeAnswer<TState, TValue>> AskAsync<TState, TValue>(
        IReadOnlyList<NodeCall<TState>> calls,
        Func<IArchiveNodeApi, NodeCall<TState>, CancellationToken, Task<TValue>> ask,
        Func<TValue, long> hitCount,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        TimeSpan? within = null)
    {
        var budget = within ?? Deadline;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        try
        {
            var answers = Channel.CreateUnbounded<NodeAnswer<TState, TValue>>();
            var pending = new HashSet<NodeCall<TState>>(ReferenceEqualityComparer.Instance);
            var settled = new List<NodeAnswer<TState, TValue>>();
            var asks = new List<(NodeCall<TState> Call, IReadOnlyList<DestinationState> Destinations)>(calls.Count);
            foreach (var call in calls)
            {
                var destinations = call.Settled is null ? call.Node.UsableDestinations : [];
                if ((call.Settled ?? (destinations.Count == 0 ? NodeStatus.Unhealthy : null)) is { } status)
                {
                    settled.Add(new NodeAnswer<TState, TValue>(call, Outcome(call.Node, status, 0, 0), default));
                    continue;
                }

                pending.Add(call);
                asks.Add((call, destinations));
            }

            var token = deadline.Token;
            StartInSlices(asks, a => _ = AskOneAsync(a.Call, a.Destinations, ask, hitCount, answers.Writer, token));

            // Every call is under way before the first answer is handed out.
            foreach (var answer in settled)
            {
                yield return answer;
            }

            while (pending.Count > 0)
            {
                NodeAnswer<TState, TValue> answer;
                try
                {
                    answer = await answers.Reader.ReadAsync(deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                if (pending.Remove(answer.Call))
                {
                    yield return answer;
                }
            }

            var elapsed = (long)budget.TotalMilliseconds;
            foreach (var call in pending)
            {
                yield return new NodeAnswer<TState, TValue>(call, Outcome(call.Node, NodeStatus.Timeout, elapsed, 0), default);
            }
        }
        finally
        {
            // Calls still out are abandoned: cancel them before the token source goes.
            await deadline.CancelAsync();
        }
    }

    /// <summary>Starts every call, <see cref="LaunchSlice"/> at a time per thread: this one the first slice, pool threads the others.</summary>
    /// <remarks>
    /// A call runs synchronously until its request is on the wire (20–40 µs), so 400 calls started from one thread
    /// would put the last one on the wire ~15 ms after the first. <see cref="Task.Run(Action)"/> carries the
    /// execution context, so the search's trace reaches every node.
    /// </remarks>
    private static void StartInSlices<T>(List<T> items, Action<T> start)
    {
        for (var first = LaunchSlice; first < items.Count; first += LaunchSlice)
        {
            var from = first;
            _ = Task.Run(() =>
            {
                for (var i = from; i < Math.Min(from + LaunchSlice, items.Count); i++)
                {
                    start(items[i]);
                }
            });
        }

        for (var i = 0; i < Math.Min(LaunchSlice, items.Count); i++)
        {
            start(items[i]);
        }
    }

    private async Task AskOneAsync<TState, TValue>(
        NodeCall<TState> call,
        IReadOnlyList<DestinationState> usable,
        Func<IArchiveNodeApi, NodeCall<TState>, CancellationToken, Task<TValue>> ask,
        Func<TValue, long> hitCount,
        ChannelWriter<NodeAnswer<TState, TValue>> answers,
        CancellationToken deadline)
    {
        var clock = Stopwatch.StartNew();
        NodeAnswer<TState, TValue> answer;
        try
        {
            // Replicas in random order; one whose circuit is open is skipped for the next.
            var destinations = usable;
            if (usable.Count > 1)
            {
                var shuffled = usable.ToArray();
                Random.Shared.Shuffle(shuffled);
                destinations = shuffled;
            }

            TValue value;
            for (var i = 0; ; i++)
            {
                try
                {
                    value = await ask(clients.For(destinations[i].Model), call, deadline);
                    break;
                }
                catch (Exception e) when (i + 1 < destinations.Count && Classify(e, deadline) == NodeStatus.CircuitOpen)
                {
                }
            }

            answer = new(call, Outcome(call.Node, NodeStatus.Ok, clock.ElapsedMilliseconds, hitCount(value)), value);
        }
        catch (Exception e)
        {
            var status = Classify(e, deadline);
            // Note: only the exception type and status code are logged: a node's error body may
            // quote personal data from a record search.
            logger.LogInformation("Node {NodeId} answered {Status} after {ElapsedMs} ms ({Exception}{StatusCode}).",
                call.Node.NodeId, status, clock.ElapsedMilliseconds, e.GetType().Name, (e as ApiException)?.StatusCode is { } code ? " " + (int)code : "");
            answer = new(call, Outcome(call.Node, status, clock.ElapsedMilliseconds, 0), default);
        }

        answers.TryWrite(answer);
    }

    internal static NodeStatus Classify(Exception e, CancellationToken deadline)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case BrokenCircuitException:
                    return NodeStatus.CircuitOpen;
                case TimeoutRejectedException:
                    return NodeStatus.Timeout;
                case OperationCanceledException when deadline.IsCancellationRequested:
                    return NodeStatus.Timeout;
            }
        }

        return NodeStatus.Error;
    }

    private static NodeOutcome Outcome(RegisteredNode node, NodeStatus status, long latencyMs, long hits) => new()
    {
        NodeId = node.NodeId,
        NameZh = node.NameZh,
        NameEn = node.NameEn,
        Status = status,
        LatencyMs = latencyMs,
        HitCount = hits,
    };
}

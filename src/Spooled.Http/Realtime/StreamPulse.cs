using Spooled.Broker;
using Spooled.Broker.Events;
using Spooled.Http.Hosting;

namespace Spooled.Http.Realtime;

/// <summary>
/// Wakes every live SSE stream when events were published, pausing <see cref="Gather"/> after each
/// pass, and at least once per <see cref="IdleWake"/> (for keep-alives and periodic frames). The first
/// events after a quiet spell go out at once; while events keep coming, each stream wakes once per
/// interval and writes all of them in one go. So a thousand streams cost a thousand wake-ups and
/// writes per interval however fast events come, rather than a thousand per event, which at a few
/// thousand events a second would cost more than the broker's own work. Also cuts off a stream
/// that stopped reading (<see cref="SseSession.CutOffIfStalled"/>).
/// </summary>
internal sealed class StreamPulse : IDisposable
{
    /// <summary>
    /// Pause after each pass while events keep coming. With the pass's own time (milliseconds for a
    /// thousand streams), the most an event waits for its stream's next write; longer would save
    /// work under heavy fan-out at the price of latency (docs/design.md §3.6).
    /// </summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(10);

    /// <summary>Longest time between two wake-ups when nothing is published.</summary>
    public static readonly TimeSpan IdleWake = TimeSpan.FromSeconds(1);

    private readonly EventBus _bus;
    private readonly int _maxBehind;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private SseSession[] _sessions = []; // Copy-on-write: the loop reads it without a lock.
    private Thread? _thread;

    public StreamPulse(JobBroker broker, ServerOptions options)
    {
        _bus = broker.Events;
        _maxBehind = options.StreamBufferEvents;
    }

    public void Add(SseSession session)
    {
        lock (_lock)
        {
            _sessions = [.. _sessions, session];
            if (_thread is null)
            {
                // Its own thread, not the thread pool's: under load the pool's queue is full of
                // requests, and a pulse waiting behind them is late for every stream at once.
                _thread = new Thread(Run) { IsBackground = true, Name = "spooled-sse-pulse" };
                _thread.Start(_stop.Token);
            }
        }
    }

    public void Remove(SseSession session)
    {
        lock (_lock)
        {
            _sessions = Array.FindAll(_sessions, s => !ReferenceEquals(s, session));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(5)); // A pass takes milliseconds; the loop then sees the stop.
        _stop.Dispose();
    }

    private void Run(object? state)
    {
        var stop = (CancellationToken)state!;
        var seen = _bus.LastSequence;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var published = _bus.WhenPublishedAfter(seen);
                if (!published.IsCompleted)
                {
                    published.Wait(IdleWake, stop);
                }

                seen = _bus.LastSequence;
                foreach (var session in Volatile.Read(ref _sessions))
                {
                    session.CutOffIfStalled(_maxBehind);
                    session.Wake();
                }

                if (stop.WaitHandle.WaitOne(Gather))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }
}

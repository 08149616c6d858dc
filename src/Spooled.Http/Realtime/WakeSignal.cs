using System.Threading.Tasks.Sources;

namespace Spooled.Http.Realtime;

/// <summary>
/// A reusable wake-up for one waiter, without allocating per wait: <see cref="Set"/> wakes the
/// waiter, or the next <see cref="WaitAsync"/> when nobody waits yet (one wake-up is kept, never
/// more). The waiter's continuation runs on the thread that calls <see cref="Set"/>: the pulse that
/// wakes a thousand streams runs each stream's turn itself, one after another, instead of handing
/// a thousand turns to the thread pool. So <see cref="Set"/> must only be called from a thread
/// that may run a stream's turn (not from inside a lock or a cancellation callback).
/// </summary>
internal sealed class WakeSignal : IValueTaskSource
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Signalled = 2;

    private ManualResetValueTaskSourceCore<bool> _core; // RunContinuationsAsynchronously stays false.
    private int _state;

    /// <summary>Completes at the next <see cref="Set"/>, or at once when one came since the last wait. One waiter at a time.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signalled) == Signalled)
        {
            return default;
        }

        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
        {
            // A Set came in between: it found nobody waiting and left the signal.
            Volatile.Write(ref _state, Idle);
            return default;
        }

        return new ValueTask(this, _core.Version);
    }

    /// <summary>Wakes the waiter (running its continuation here), or keeps the wake-up for the next wait.</summary>
    public void Set()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Signalled:
                    return;
                case Idle when Interlocked.CompareExchange(ref _state, Signalled, Idle) == Idle:
                    return;
                case Waiting when Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting:
                    _core.SetResult(true);
                    return;
                default:
                    continue; // The state changed under us; look again.
            }
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

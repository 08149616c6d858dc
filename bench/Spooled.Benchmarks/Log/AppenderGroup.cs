using Spooled.Log;

namespace Spooled.Benchmarks.Log;

/// <summary>
/// N concurrent appenders over one log, each awaiting its append before making the next. A run ends
/// when its budget of appends is used up or <see cref="Stop"/> is called; <see cref="Completed"/>
/// counts acknowledged appends across runs. Reusable run after run without allocating.
/// </summary>
internal sealed class AppenderGroup : IDisposable
{
    private readonly AppendLoop[] _loops;
    private readonly ManualResetEventSlim _done = new(false);
    private long _budget;
    private long _completed;
    private int _running;
    private volatile bool _stopping;
    private Exception? _failure;

    public AppenderGroup(SegmentedLog log, ReadOnlyMemory<byte> payload, int appenders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(appenders, 1);
        _loops = new AppendLoop[appenders];
        for (var i = 0; i < appenders; i++)
        {
            _loops[i] = new AppendLoop(this, log, payload);
        }
    }

    /// <summary>Appends acknowledged so far (all runs).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Starts every loop; they share <paramref name="budget"/> appends.</summary>
    public void Start(long budget)
    {
        if (Volatile.Read(ref _running) != 0)
        {
            throw new InvalidOperationException("The previous run has not finished.");
        }

        _done.Reset();
        _failure = null;
        _stopping = false;
        Volatile.Write(ref _budget, budget);
        Volatile.Write(ref _running, _loops.Length);
        foreach (var loop in _loops)
        {
            loop.Start();
        }
    }

    /// <summary>Asks every loop to stop after its append in flight.</summary>
    public void Stop() => _stopping = true;

    /// <summary>Waits until every loop has stopped; throws when one failed or the time ran out.</summary>
    public void Wait(TimeSpan limit)
    {
        if (!_done.Wait(limit))
        {
            _stopping = true;
            throw new TimeoutException($"The appenders did not finish within {limit}.");
        }

        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new InvalidOperationException("An append failed.", failure);
        }
    }

    /// <summary>Runs <paramref name="appends"/> appends to completion.</summary>
    public void Run(long appends, TimeSpan limit)
    {
        Start(appends);
        Wait(limit);
    }

    public void Dispose() => _done.Dispose();

    internal bool TryTake() => !_stopping && Interlocked.Decrement(ref _budget) >= 0;

    internal void OnAcknowledged() => Interlocked.Increment(ref _completed);

    internal void OnLoopExit(Exception? error)
    {
        if (error is not null)
        {
            Interlocked.CompareExchange(ref _failure, error, null);
            _stopping = true;
        }

        if (Interlocked.Decrement(ref _running) == 0)
        {
            _done.Set();
        }
    }
}

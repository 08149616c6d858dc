using System.Runtime.CompilerServices;
using Spooled.Log;

namespace Spooled.Benchmarks.Log;

/// <summary>
/// One appender: <c>while (group.TryTake()) await log.AppendAsync(payload);</c>, written out by hand.
/// The awaits are the same as the compiler's (the continuation runs where the log completes the
/// append), but a compiler async method allocates its state machine once per call, and a benchmark
/// that starts 1,024 loops per invocation would then report the harness's allocations as the log's.
/// Here the continuation delegate is cached, so a run allocates nothing of its own.
/// </summary>
internal sealed class AppendLoop
{
    private readonly AppenderGroup _group;
    private readonly SegmentedLog _log;
    private readonly ReadOnlyMemory<byte> _payload;
    private readonly Action _resume;
    private ValueTaskAwaiter<long> _pending;

    public AppendLoop(AppenderGroup group, SegmentedLog log, ReadOnlyMemory<byte> payload)
    {
        _group = group;
        _log = log;
        _payload = payload;
        _resume = Resume;
    }

    public void Start() => Continue();

    private void Resume()
    {
        var pending = _pending;
        _pending = default;
        if (Acknowledged(pending))
        {
            Continue();
        }
    }

    private void Continue()
    {
        while (_group.TryTake())
        {
            var awaiter = AwaiterOf(_log.AppendAsync(_payload));
            if (!awaiter.IsCompleted)
            {
                _pending = awaiter;
                awaiter.UnsafeOnCompleted(_resume);
                return;
            }

            if (!Acknowledged(awaiter))
            {
                return;
            }
        }

        _group.OnLoopExit(null);
    }

    /// <summary>Takes a completed append's result: counts it, or ends the loop on the log's failure.</summary>
    private bool Acknowledged(ValueTaskAwaiter<long> completed)
    {
        try
        {
            completed.GetResult();
        }
        catch (Exception ex) when (ex is LogFailedException or ObjectDisposedException or InvalidOperationException)
        {
            _group.OnLoopExit(ex);
            return false;
        }

        _group.OnAcknowledged();
        return true;
    }

    /// <summary>
    /// What <c>await</c> does first: take the awaiter (the ValueTask is consumed exactly once, through
    /// it). A helper because CA2012 cannot tell this from misuse when written inline.
    /// </summary>
    private static ValueTaskAwaiter<long> AwaiterOf(ValueTask<long> append) => append.GetAwaiter();
}

using System.Threading.Tasks.Sources;

namespace Spooled.Log.Writing;

/// <summary>
/// The pooled completion behind one append's <see cref="ValueTask{TResult}"/>: no Task, no
/// TaskCompletionSource per append. Continuations run synchronously on the pool thread that
/// completes the batch (never on the writer thread), so a resumed appender can stage its next
/// record at once without another thread hop.
/// </summary>
internal sealed class AppendWaiter : IValueTaskSource<long>
{
    private readonly WaiterPool _pool;
    private ManualResetValueTaskSourceCore<long> _core; // Mutable struct: never make this readonly.

    public AppendWaiter(WaiterPool pool)
    {
        _pool = pool;
        _core.RunContinuationsAsynchronously = false;
    }

    /// <summary>Offset of the waiter's (first) record in its batch's staging buffer.</summary>
    public int StagingOffset { get; set; }

    /// <summary>Log position assigned by the writer; the result once the batch is durable.</summary>
    public long Position { get; set; }

    /// <summary>Token for the <see cref="ValueTask{TResult}"/> handed out.</summary>
    public short Version => _core.Version;

    public void Complete(Exception? error)
    {
        if (error is null)
        {
            _core.SetResult(Position);
        }
        else
        {
            _core.SetException(error);
        }
    }

    public long GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _pool.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

namespace Spooled.Log.Tests.Recovery;

/// <summary>A flush held by <see cref="KillableStorage.PauseNextFlush"/>: the flusher waits in <see cref="Hold"/> until released.</summary>
internal sealed class FlushPause
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a flush arrives and starts waiting.</summary>
    public Task Reached => _reached.Task;

    /// <summary>Lets the held flush go on.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>Called by the flushing thread: signals arrival, then blocks until released (or 30 s pass).</summary>
    internal void Hold()
    {
        _reached.TrySetResult();
        if (!_released.Task.Wait(s_limit))
        {
            throw new TimeoutException("A paused flush was never released.");
        }
    }
}

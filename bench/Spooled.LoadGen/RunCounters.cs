namespace Spooled.LoadGen;

/// <summary>
/// Shared progress of a run, and the rule for when draining is over: producers are done and every
/// job they got accepted has been acknowledged (completed, or its acknowledgement failed and was
/// counted as an error). Jobs whose enqueue failed were never in the queue, so they are not awaited.
/// </summary>
internal sealed class RunCounters
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _enqueued;
    private long _completed;
    private long _ackFailed;
    private long _emptyClaims;
    private long _firstClaim;
    private long _lastCompletion;
    private int _producersDone;

    public long Enqueued => Volatile.Read(ref _enqueued);

    public long Completed => Volatile.Read(ref _completed);

    public long AckFailed => Volatile.Read(ref _ackFailed);

    public long EmptyClaims => Volatile.Read(ref _emptyClaims);

    /// <summary>When the first claim returned a job; 0 before.</summary>
    public long FirstClaim => Volatile.Read(ref _firstClaim);

    /// <summary>When the latest acknowledgement finished.</summary>
    public long LastCompletion => Volatile.Read(ref _lastCompletion);

    public Task Drained => _drained.Task;

    public void AddEnqueued(int count) => Interlocked.Add(ref _enqueued, count);

    public void Claimed()
    {
        if (Volatile.Read(ref _firstClaim) == 0)
        {
            Interlocked.CompareExchange(ref _firstClaim, Clock.Now, 0);
        }
    }

    public void EmptyClaim() => Interlocked.Increment(ref _emptyClaims);

    public void Acknowledged(int completed, int failed)
    {
        Interlocked.Add(ref _completed, completed);
        Interlocked.Add(ref _ackFailed, failed);
        Volatile.Write(ref _lastCompletion, Clock.Now);
        CheckDrained();
    }

    public void ProducersDone()
    {
        Volatile.Write(ref _producersDone, 1);
        CheckDrained();
    }

    private void CheckDrained()
    {
        if (Volatile.Read(ref _producersDone) == 1 && Completed + AckFailed >= Enqueued)
        {
            _drained.TrySetResult();
        }
    }
}

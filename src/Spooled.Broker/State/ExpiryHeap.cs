namespace Spooled.Broker.State;

/// <summary>
/// Unclaimed jobs with an <c>expires_at</c>, earliest first. Entries are not removed when a job is
/// claimed or cancelled; the engine checks an entry against the job when it comes due and drops it
/// if the job moved on. Few jobs set an expiry, so the stale entries cost little.
/// </summary>
internal sealed class ExpiryHeap
{
    private readonly PriorityQueue<Job, (long At, long Seq)> _heap = new();

    public int Count => _heap.Count;

    public long NextDue => _heap.TryPeek(out _, out var key) ? key.At : long.MaxValue;

    public void Add(Job job, long at) => _heap.Enqueue(job, (at, job.Seq));

    public Job Pop() => _heap.Dequeue();
}

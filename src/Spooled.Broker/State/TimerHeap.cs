namespace Spooled.Broker.State;

/// <summary>
/// Every job waiting on time: scheduled and backed-off jobs until due, processing jobs until their
/// lease expires, ordered by (due time, enqueue sequence). The earliest due time is O(1) to read,
/// insert/remove/reschedule O(log n), and each job holds at most one entry, so heartbeats
/// reschedule in place and leave no stale entries behind. The due time is kept in the entry so
/// comparisons never touch the job's details.
/// </summary>
internal sealed class TimerHeap
{
    private IndexedHeap<Entry> _heap = new();

    public int Count => _heap.Count;

    public long NextDue => Count == 0 ? long.MaxValue : _heap.Top.Due;

    public Job Peek() => _heap.Top.Job;

    public ReadOnlySpan<Entry> Items => _heap.Items;

    public void Add(Job job, long due)
    {
        job.Place = JobPlace.Timer;
        _heap.Add(new Entry(due, job));
    }

    public void Remove(Job job) => _heap.RemoveAt(job.HeapIndex);

    public void Reschedule(Job job, long due) => _heap.Replace(new Entry(due, job));

    /// <summary>A job and the time it is waiting for.</summary>
    internal readonly record struct Entry(long Due, Job Job) : IHeapEntry<Entry>
    {
        public static bool Before(in Entry a, in Entry b) => a.Due != b.Due ? a.Due < b.Due : a.Job.Seq < b.Job.Seq;
    }
}

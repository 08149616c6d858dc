namespace Spooled.Broker.State;

/// <summary>
/// A queue's claimable jobs, ordered by priority (highest first) then enqueue sequence (lowest
/// first): a claim takes the highest priority first and FIFO within a priority. Cancel and priority
/// change are O(log n) through each job's slot.
/// </summary>
internal sealed class ReadyHeap
{
    private IndexedHeap<Entry> _heap = new();

    public int Count => _heap.Count;

    /// <summary>The job in heap slot <paramref name="index"/> (heap order, not priority order).</summary>
    public Job this[int index] => _heap[index].Job;

    public void Add(Job job)
    {
        job.Place = JobPlace.Ready;
        _heap.Add(new Entry(job.Priority, job.Seq, job));
    }

    public Job Pop()
    {
        var top = _heap.Top.Job;
        Remove(top);
        return top;
    }

    public void Remove(Job job)
    {
        _heap.RemoveAt(job.HeapIndex);

        // A queue that drains keeps its capacity: it will usually fill again, and regrowing from
        // small would allocate all the way back up each time.
        _heap.TrimWhenEmpty(4096);
    }

    /// <summary>
    /// The job enqueued first, or null when none is ready: the lowest sequence, read from the keys
    /// held inline, so the scan touches no job but the one it returns. Sequence and creation time
    /// are given in the same order (the engine's clock never runs backwards), so this is also the
    /// job that has waited longest.
    /// </summary>
    public Job? Oldest()
    {
        var items = _heap.Items;
        if (items.IsEmpty)
        {
            return null;
        }

        var oldest = 0;
        for (var i = 1; i < items.Length; i++)
        {
            if (items[i].Seq < items[oldest].Seq)
            {
                oldest = i;
            }
        }

        return items[oldest].Job;
    }

    /// <summary>Restores order after <paramref name="job"/>'s priority changed.</summary>
    public void Update(Job job) => _heap.Replace(new Entry(job.Priority, job.Seq, job));

    /// <summary>A job with its sort key.</summary>
    private readonly record struct Entry(short Priority, long Seq, Job Job) : IHeapEntry<Entry>
    {
        public static bool Before(in Entry a, in Entry b) => a.Priority != b.Priority ? a.Priority > b.Priority : a.Seq < b.Seq;
    }
}

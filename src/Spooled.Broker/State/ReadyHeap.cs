namespace Spooled.Broker.State;

/// <summary>
/// A queue's claimable jobs: an indexed binary max-heap on (priority, then lowest enqueue sequence),
/// so a claim takes the highest priority first and FIFO within a priority. Each job records its
/// slot, so cancel and priority change are O(log n) without search. The keys are copied into the
/// entries, so sifting compares within the heap's own array instead of visiting jobs scattered in
/// memory (a large backlog otherwise makes every comparison a cache miss).
/// </summary>
internal sealed class ReadyHeap
{
    private Entry[] _items = new Entry[16];

    public int Count { get; private set; }

    public Job Peek() => _items[0].Job;

    public void Add(Job job)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count] = new Entry(job.Priority, job.Seq, job);
        job.HeapIndex = Count;
        job.Place = JobPlace.Ready;
        Count++;
        Up(job.HeapIndex);
    }

    public Job Pop()
    {
        var top = _items[0].Job;
        RemoveAt(0);
        return top;
    }

    public void Remove(Job job) => RemoveAt(job.HeapIndex);

    /// <summary>Restores order after <paramref name="job"/>'s priority changed.</summary>
    public void Update(Job job)
    {
        _items[job.HeapIndex] = new Entry(job.Priority, job.Seq, job);
        Up(job.HeapIndex);
        Down(job.HeapIndex);
    }

    /// <summary>The job in heap slot <paramref name="index"/> (heap order, not priority order).</summary>
    public Job this[int index] => _items[index].Job;

    private void RemoveAt(int index)
    {
        var job = _items[index].Job;
        Count--;
        if (index != Count)
        {
            _items[index] = _items[Count];
            _items[index].Job.HeapIndex = index;
            _items[Count] = default;
            Up(index);
            Down(index);
        }
        else
        {
            _items[Count] = default;
        }

        job.HeapIndex = -1;
        job.Place = JobPlace.None;

        // A queue that drains keeps its capacity: it will usually fill again, and regrowing from
        // small would allocate all the way back up each time.
        if (_items.Length > 4096 && Count == 0)
        {
            _items = new Entry[4096];
        }
    }

    private static bool Before(in Entry a, in Entry b) => a.Priority != b.Priority ? a.Priority > b.Priority : a.Seq < b.Seq;

    private void Up(int index)
    {
        var entry = _items[index];
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            if (!Before(entry, _items[parent]))
            {
                break;
            }

            _items[index] = _items[parent];
            _items[index].Job.HeapIndex = index;
            index = parent;
        }

        _items[index] = entry;
        entry.Job.HeapIndex = index;
    }

    private void Down(int index)
    {
        var entry = _items[index];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && Before(_items[child + 1], _items[child]))
            {
                child++;
            }

            if (!Before(_items[child], entry))
            {
                break;
            }

            _items[index] = _items[child];
            _items[index].Job.HeapIndex = index;
            index = child;
        }

        _items[index] = entry;
        entry.Job.HeapIndex = index;
    }

    /// <summary>A job with its sort key.</summary>
    private readonly record struct Entry(short Priority, long Seq, Job Job);
}

namespace Spooled.Broker.State;

/// <summary>
/// Every job waiting on time: scheduled and backed-off jobs until due, processing jobs until their
/// lease expires. An indexed binary min-heap on (due time, enqueue sequence): the earliest due time
/// is O(1) to read, insert/remove/reschedule O(log n), and each job holds at most one entry, so
/// heartbeats reschedule in place and leave no stale entries behind. The due time is cached in the
/// entry so comparisons never touch the job's details.
/// </summary>
internal sealed class TimerHeap
{
    private Entry[] _items = new Entry[64];

    public int Count { get; private set; }

    public long NextDue => Count == 0 ? long.MaxValue : _items[0].Due;

    public Job Peek() => _items[0].Job;

    public void Add(Job job, long due)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count] = new Entry(due, job);
        job.HeapIndex = Count;
        job.Place = JobPlace.Timer;
        Count++;
        Up(job.HeapIndex);
    }

    public void Remove(Job job)
    {
        var index = job.HeapIndex;
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
    }

    public void Reschedule(Job job, long due)
    {
        _items[job.HeapIndex] = new Entry(due, job);
        Up(job.HeapIndex);
        Down(job.HeapIndex);
    }

    public ReadOnlySpan<Entry> Items => _items.AsSpan(0, Count);

    private static bool Before(in Entry a, in Entry b) => a.Due != b.Due ? a.Due < b.Due : a.Job.Seq < b.Job.Seq;

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

    /// <summary>A job and the time it is waiting for.</summary>
    internal readonly record struct Entry(long Due, Job Job);
}

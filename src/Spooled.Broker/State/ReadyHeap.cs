namespace Spooled.Broker.State;

/// <summary>
/// A queue's claimable jobs: an indexed binary max-heap on (priority, then lowest enqueue sequence),
/// so a claim takes the highest priority first and FIFO within a priority. Each job records its
/// slot, so cancel and priority change are O(log n) without search.
/// </summary>
internal sealed class ReadyHeap
{
    private Job[] _items = new Job[16];

    public int Count { get; private set; }

    public Job Peek() => _items[0];

    public void Add(Job job)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count] = job;
        job.HeapIndex = Count;
        job.Place = JobPlace.Ready;
        Count++;
        Up(job.HeapIndex);
    }

    public Job Pop()
    {
        var top = _items[0];
        RemoveAt(0);
        return top;
    }

    public void Remove(Job job) => RemoveAt(job.HeapIndex);

    /// <summary>Restores order after <paramref name="job"/>'s priority changed.</summary>
    public void Update(Job job)
    {
        Up(job.HeapIndex);
        Down(job.HeapIndex);
    }

    /// <summary>The jobs in heap (not priority) order, for reads and snapshots.</summary>
    public ReadOnlySpan<Job> Items => _items.AsSpan(0, Count);

    private void RemoveAt(int index)
    {
        var job = _items[index];
        Count--;
        if (index != Count)
        {
            _items[index] = _items[Count];
            _items[index].HeapIndex = index;
            _items[Count] = null!;
            Up(index);
            Down(index);
        }
        else
        {
            _items[Count] = null!;
        }

        job.HeapIndex = -1;
        job.Place = JobPlace.None;
        if (_items.Length > 64 && Count < _items.Length / 4)
        {
            Array.Resize(ref _items, _items.Length / 2);
        }
    }

    private static bool Before(Job a, Job b) => a.Priority != b.Priority ? a.Priority > b.Priority : a.Seq < b.Seq;

    private void Up(int index)
    {
        var job = _items[index];
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            if (!Before(job, _items[parent]))
            {
                break;
            }

            _items[index] = _items[parent];
            _items[index].HeapIndex = index;
            index = parent;
        }

        _items[index] = job;
        job.HeapIndex = index;
    }

    private void Down(int index)
    {
        var job = _items[index];
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

            if (!Before(_items[child], job))
            {
                break;
            }

            _items[index] = _items[child];
            _items[index].HeapIndex = index;
            index = child;
        }

        _items[index] = job;
        job.HeapIndex = index;
    }
}

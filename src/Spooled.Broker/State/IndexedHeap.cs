namespace Spooled.Broker.State;

/// <summary>
/// A binary heap of jobs in which each job records its slot (<see cref="Job.HeapIndex"/>), so a job
/// can be removed or re-keyed in O(log n) without a search. The order comes from the entry type,
/// whose keys are copied into the heap's own array: sifting compares within that array instead of
/// visiting jobs scattered in memory. A job is in at most one heap at a time.
/// </summary>
internal struct IndexedHeap<TEntry>()
    where TEntry : struct, IHeapEntry<TEntry>
{
    private TEntry[] _items = new TEntry[16];

    public int Count { get; private set; }

    public readonly TEntry Top => _items[0];

    public readonly TEntry this[int index] => _items[index];

    public readonly ReadOnlySpan<TEntry> Items => _items.AsSpan(0, Count);

    public void Add(in TEntry entry)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count] = entry;
        entry.Job.HeapIndex = Count;
        Count++;
        Up(Count - 1);
    }

    /// <summary>Removes the job at <paramref name="index"/> and marks it as in no heap.</summary>
    public void RemoveAt(int index)
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
    }

    /// <summary>Replaces the entry of a job already in the heap (a new key) and restores the order.</summary>
    public void Replace(in TEntry entry)
    {
        var index = entry.Job.HeapIndex;
        _items[index] = entry;
        Up(index);
        Down(index);
    }

    /// <summary>Lets go of the array once the heap is empty, when it grew past <paramref name="keep"/> slots.</summary>
    public void TrimWhenEmpty(int keep)
    {
        if (Count == 0 && _items.Length > keep)
        {
            _items = new TEntry[keep];
        }
    }

    private readonly void Up(int index)
    {
        var entry = _items[index];
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            if (!TEntry.Before(entry, _items[parent]))
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

    private readonly void Down(int index)
    {
        var entry = _items[index];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && TEntry.Before(_items[child + 1], _items[child]))
            {
                child++;
            }

            if (!TEntry.Before(_items[child], entry))
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
}

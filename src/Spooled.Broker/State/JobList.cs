namespace Spooled.Broker.State;

/// <summary>
/// An organization's jobs in enqueue order. A parallel array of sequences (which only grow) finds a
/// job's slot by binary search; removal leaves a hole, compacted away once holes are half the list.
/// </summary>
internal sealed class JobList
{
    private Job?[] _items = new Job?[16];
    private long[] _seqs = new long[16];
    private int _holes;

    public int Count { get; private set; }

    public int Live => Count - _holes;

    public Job? this[int index] => _items[index];

    public void Add(Job job)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
            Array.Resize(ref _seqs, _seqs.Length * 2);
        }

        _items[Count] = job;
        _seqs[Count] = job.Seq;
        Count++;
    }

    public void Remove(Job job)
    {
        var index = Array.BinarySearch(_seqs, 0, Count, job.Seq);
        if (index < 0 || !ReferenceEquals(_items[index], job))
        {
            throw new InvalidOperationException("A job being removed is not in its organization's list.");
        }

        _items[index] = null;
        _holes++;
        if (_holes > 1024 && _holes * 2 > Count)
        {
            Compact();
        }
    }

    private void Compact()
    {
        var write = 0;
        for (var read = 0; read < Count; read++)
        {
            if (_items[read] is { } job)
            {
                _items[write] = job;
                _seqs[write] = job.Seq;
                write++;
            }
        }

        Array.Clear(_items, write, Count - write);
        Count = write;
        _holes = 0;
        if (_items.Length > 64 && Count < _items.Length / 4)
        {
            var size = Math.Max(16, _items.Length / 2);
            Array.Resize(ref _items, size);
            Array.Resize(ref _seqs, size);
        }
    }
}

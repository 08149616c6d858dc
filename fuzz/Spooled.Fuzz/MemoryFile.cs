using System.Runtime.InteropServices;
using Spooled.Log.Storage;

namespace Spooled.Fuzz;

/// <summary>An open file of <see cref="MemoryStorage"/>: a handle on a byte list shared with the storage.</summary>
internal sealed class MemoryFile : ILogFile
{
    private readonly List<byte> _data;
    private readonly Lock _lock;
    private readonly bool _writable;
    private bool _disposed;

    public MemoryFile(string name, List<byte> data, Lock gate, bool writable)
    {
        Name = name;
        _data = data;
        _lock = gate;
        _writable = writable;
    }

    public string Name { get; }

    public long Length
    {
        get
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _data.Count;
            }
        }
    }

    public int Read(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (offset >= _data.Count)
            {
                return 0;
            }

            var available = CollectionsMarshal.AsSpan(_data)[(int)offset..];
            var count = Math.Min(available.Length, buffer.Length);
            available[..count].CopyTo(buffer);
            return count;
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_lock)
        {
            CheckWritable();
            var end = offset + data.Length;
            if (end > Array.MaxLength)
            {
                throw new IOException($"A write to '{Name}' would make it larger than an in-memory file can be.");
            }

            if (end > _data.Count)
            {
                Resize((int)end);
            }

            data.CopyTo(CollectionsMarshal.AsSpan(_data)[(int)offset..]);
        }
    }

    public void Flush()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
        }
    }

    public void Truncate(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        lock (_lock)
        {
            CheckWritable();
            if (length > Array.MaxLength)
            {
                throw new IOException($"'{Name}' cannot grow to {length} bytes in memory.");
            }

            Resize((int)length);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }
    }

    private void CheckWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_writable)
        {
            throw new UnauthorizedAccessException($"'{Name}' was opened read-only.");
        }
    }

    /// <summary>Sets the length; bytes added are zero (the list's spare capacity may hold old bytes).</summary>
    private void Resize(int length)
    {
        var old = _data.Count;
        CollectionsMarshal.SetCount(_data, length);
        if (length > old)
        {
            CollectionsMarshal.AsSpan(_data)[old..].Clear();
        }
    }
}

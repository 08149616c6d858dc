using System.Diagnostics;
using Spooled.Log.Storage;

namespace Spooled.Benchmarks.Log;

/// <summary>A file of <see cref="CountingStorage"/>: forwards every call and reports writes and syncs.</summary>
internal sealed class CountingFile : ILogFile
{
    private readonly CountingStorage _owner;
    private readonly ILogFile _inner;

    public CountingFile(CountingStorage owner, ILogFile inner)
    {
        _owner = owner;
        _inner = inner;
    }

    public string Name => _inner.Name;

    public long Length => _inner.Length;

    public int Read(long offset, Span<byte> buffer) => _inner.Read(offset, buffer);

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        var start = Stopwatch.GetTimestamp();
        _inner.Write(offset, data);
        _owner.OnWrite(data.Length, Stopwatch.GetTimestamp() - start);
    }

    public void Flush()
    {
        var start = Stopwatch.GetTimestamp();
        _inner.Flush();
        _owner.OnSync(Stopwatch.GetTimestamp() - start);
    }

    public void Truncate(long length) => _inner.Truncate(length);

    public void Dispose() => _inner.Dispose();
}

namespace Spooled.Log.Storage;

/// <summary>One open file of an <see cref="ILogStorage"/>: positional reads and writes, flush, truncate.</summary>
public interface ILogFile : IDisposable
{
    /// <summary>The file's name inside its storage.</summary>
    string Name { get; }

    /// <summary>Current length in bytes, including writes not yet flushed.</summary>
    long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; returns the count read (0 at the end).</summary>
    int Read(long offset, Span<byte> buffer);

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>, extending the file when needed.</summary>
    void Write(long offset, ReadOnlySpan<byte> data);

    /// <summary>Makes every write so far durable (fdatasync). An exception means nothing since the last successful flush can be trusted.</summary>
    void Flush();

    /// <summary>Sets the file's length, cutting or zero-extending it; durable after <see cref="Flush"/>.</summary>
    void Truncate(long length);
}

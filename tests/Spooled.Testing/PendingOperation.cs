namespace Spooled.Testing;

/// <summary>
/// A write or truncation issued to a simulated file since its last successful flush: the unit a crash keeps,
/// drops or tears.
/// </summary>
internal sealed class PendingOperation
{
    private PendingOperation(long offset, byte[]? data)
    {
        Offset = offset;
        Data = data;
    }

    /// <summary>The write's offset, or the truncation's new length.</summary>
    public long Offset { get; }

    /// <summary>The written bytes; null for a truncation.</summary>
    public byte[]? Data { get; }

    public static PendingOperation Write(long offset, ReadOnlySpan<byte> data) => new(offset, data.ToArray());

    public static PendingOperation Truncate(long length) => new(length, null);

    public void ApplyTo(GrowableBuffer buffer)
    {
        if (Data is null)
        {
            buffer.SetLength(Offset);
        }
        else
        {
            buffer.Write(Offset, Data);
        }
    }

    /// <summary>Whether the operation may have changed the byte at <paramref name="position"/>.</summary>
    public bool Touches(long position) => Data is null ? Offset <= position : position >= Offset && position < Offset + Data.Length;
}

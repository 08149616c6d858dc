namespace Spooled.Log.Format;

/// <summary>Per-record flags.</summary>
[Flags]
internal enum RecordFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>The body is a little-endian u32 of the original length followed by an LZ4 block.</summary>
    Lz4 = 1,
}

namespace Spooled.Log.Format;

/// <summary>
/// On-disk format versions. Pinned by golden-byte tests: changing a layout means adding a version,
/// never editing one.
/// </summary>
internal enum FormatVersion : byte
{
    /// <summary>The first format: 16-byte record headers, 32-byte segment and snapshot headers.</summary>
    V1 = 1,
}

namespace Spooled.Log.Tests.Recovery;

/// <summary>Where one record (data or commit marker) lies in a segment file, and which batch of that segment it belongs to.</summary>
/// <param name="Offset">Byte offset of the record's header in the segment file.</param>
/// <param name="Length">Header and body.</param>
/// <param name="IsMarker">Whether it is a commit marker.</param>
/// <param name="Batch">Index, within its segment, of the batch it belongs to (a marker belongs to the batch it closes).</param>
/// <param name="Compressed">Whether the body is LZ4-compressed.</param>
internal sealed record RecordSpan(long Offset, int Length, bool IsMarker, int Batch, bool Compressed)
{
    public long End => Offset + Length;

    public bool Contains(long offset) => offset >= Offset && offset < End;
}

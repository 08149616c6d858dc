using System.Buffers;
using Spooled.Log.Format;
using Spooled.Testing;

namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// An independent parse of a log's segment files (using the format's codecs, not the recovery code), so tests
/// can aim damage at a chosen structure and predict what recovery must do with it.
/// </summary>
internal sealed record LogLayout(IReadOnlyList<SegmentLayout> Segments)
{
    public SegmentLayout Last => Segments[^1];

    /// <summary>Bytes in all segment files together.</summary>
    public long TotalBytes => Segments.Sum(s => s.Length);

    /// <summary>Parses the current content of every segment of <paramref name="disk"/>, oldest first, up to the first record that does not decode.</summary>
    public static LogLayout Read(SimulatedStorage disk)
    {
        var bases = new List<long>();
        foreach (var name in disk.ListFiles())
        {
            if (SegmentName.TryParse(name, out var basePosition))
            {
                bases.Add(basePosition);
            }
        }

        bases.Sort();
        var segments = new List<SegmentLayout>();
        foreach (var basePosition in bases)
        {
            var name = SegmentName.For(basePosition);
            var bytes = disk.GetBytes(name);
            var records = new List<RecordSpan>();
            var batch = 0;
            var offset = (long)SegmentHeader.Size;
            while (offset < bytes.Length)
            {
                var status = RecordHeader.TryDecode(bytes.AsSpan((int)offset), basePosition + offset, out var header, out var length);
                if (status != OperationStatus.Done)
                {
                    break;
                }

                var isMarker = header.Type == RecordType.Commit;
                records.Add(new RecordSpan(offset, length, isMarker, batch, (header.Flags & RecordFlags.Lz4) != 0));
                if (isMarker)
                {
                    batch++;
                }

                offset += length;
            }

            var zeroFilled = offset < bytes.Length && bytes.AsSpan((int)offset).IndexOfAnyExcept((byte)0) < 0;
            segments.Add(new SegmentLayout(name, basePosition, bytes.Length, records, zeroFilled));
        }

        return new LogLayout(segments);
    }

    /// <summary>Maps an index in [0, <see cref="TotalBytes"/>) to a segment and an offset in it.</summary>
    public (int Segment, long Offset) Locate(long index)
    {
        for (var i = 0; i < Segments.Count; i++)
        {
            if (index < Segments[i].Length)
            {
                return (i, index);
            }

            index -= Segments[i].Length;
        }

        throw new ArgumentOutOfRangeException(nameof(index));
    }

    /// <summary>One line per segment: name, length, records and batches.</summary>
    public override string ToString() => string.Join(
        Environment.NewLine,
        Segments.Select(s => $"{s.Name}: {s.Length} B, {s.DataRecords.Count()} data record(s), {s.Markers.Count()} marker(s), intact to {s.IntactEnd}"));
}

using Spooled.Broker.Records;

namespace Spooled.Broker.Snapshots;

/// <summary>
/// A snapshot taken but not yet serialized: the small parts (organizations, keys, queues, workers)
/// already as bytes, the jobs as <see cref="JobCapture"/>s. Owned by whoever serializes it; shares
/// nothing the engine will change.
/// </summary>
internal sealed class SnapshotCapture(ReadOnlyMemory<byte> head, IReadOnlyList<SnapshotCapture.Org> orgs)
{
    /// <summary>Receives the serialized snapshot piece by piece.</summary>
    public delegate void Emit(ReadOnlySpan<byte> piece);

    private const int PieceBytes = 1024 * 1024;

    /// <summary>The bytes, in the layout <see cref="StateSnapshot.Read"/> expects, as one buffer.</summary>
    public ReadOnlyMemory<byte> Serialize()
    {
        var whole = new RecordBuffer(EstimateSize());
        SerializeTo(piece => whole.WriteBytesRaw(piece));
        return whole.Slice(0, whole.Length);
    }

    /// <summary>
    /// The same bytes, handed to <paramref name="emit"/> in pieces of about a mebibyte, so that a
    /// snapshot streams to its file without ever being whole in memory.
    /// </summary>
    public void SerializeTo(Emit emit)
    {
        ArgumentNullException.ThrowIfNull(emit);
        var b = new RecordBuffer(PieceBytes + (64 * 1024));
        b.WriteBytesRaw(head.Span);
        foreach (var org in orgs)
        {
            b.WriteBytesRaw(org.Head.Span);
            b.WriteInt32(org.JobCount);
            foreach (ref readonly var job in org.Jobs.AsSpan(0, org.JobCount))
            {
                StateSnapshot.WriteJob(b, job);
                if (b.Length >= PieceBytes)
                {
                    emit(b.Span(0, b.Length));
                    b.Clear();
                }
            }

            b.WriteInt32(org.Finished.Length);
            foreach (var id in org.Finished)
            {
                b.WriteGuid(id);
            }
        }

        emit(b.Span(0, b.Length));
    }

    /// <summary>A size that usually holds the whole snapshot, so the buffer is not regrown (and copied) while writing.</summary>
    private int EstimateSize()
    {
        long size = head.Length + 4096;
        foreach (var org in orgs)
        {
            size += org.Head.Length + (org.Finished.Length * 16L);
            foreach (ref readonly var job in org.Jobs.AsSpan(0, org.JobCount))
            {
                size += 96 + job.Payload.Length + (job.Details is not { } d ? 0 : 160 + (d.Result?.Length ?? 0) + (d.Tags?.Length ?? 0) + (d.Progress?.Length ?? 0));
            }
        }

        return (int)Math.Min(size, Array.MaxLength);
    }

    /// <summary>One organization: its fields, keys, queues and workers as bytes, its jobs, its retention order.</summary>
    internal sealed record Org(ReadOnlyMemory<byte> Head, JobCapture[] Jobs, int JobCount, Guid[] Finished);

    /// <summary>Drops the capture's references to jobs once it is written (its arrays are reused).</summary>
    public void Release()
    {
        foreach (var org in orgs)
        {
            CaptureArrays.Release(org.Jobs, org.JobCount);
        }
    }
}

using Spooled.Broker.Records;

namespace Spooled.Broker.Snapshots;

/// <summary>
/// A snapshot taken but not yet serialized: the small parts (organizations, keys, queues, workers)
/// already as bytes, the jobs as <see cref="JobCapture"/>s. Owned by whoever serializes it; shares
/// nothing the engine will change.
/// </summary>
internal sealed class SnapshotCapture(ReadOnlyMemory<byte> head, IReadOnlyList<SnapshotCapture.Org> orgs)
{
    /// <summary>The bytes, in the layout <see cref="StateSnapshot.Read"/> expects.</summary>
    public ReadOnlyMemory<byte> Serialize()
    {
        var b = new RecordBuffer(EstimateSize());
        b.WriteBytesRaw(head.Span);
        foreach (var org in orgs)
        {
            b.WriteBytesRaw(org.Head.Span);
            b.WriteInt32(org.Jobs.Length);
            foreach (ref readonly var job in org.Jobs.AsSpan())
            {
                StateSnapshot.WriteJob(b, job);
            }

            b.WriteInt32(org.Finished.Length);
            foreach (var id in org.Finished)
            {
                b.WriteGuid(id);
            }
        }

        return b.Slice(0, b.Length);
    }

    /// <summary>A size that usually holds the whole snapshot, so the buffer is not regrown (and copied) while writing.</summary>
    private int EstimateSize()
    {
        long size = head.Length + 4096;
        foreach (var org in orgs)
        {
            size += org.Head.Length + (org.Finished.Length * 16L);
            foreach (ref readonly var job in org.Jobs.AsSpan())
            {
                size += 96 + job.Payload.Length + (job.Details is not { } d ? 0 : 160 + (d.Result?.Length ?? 0) + (d.Tags?.Length ?? 0) + (d.Progress?.Length ?? 0));
            }
        }

        return (int)Math.Min(size, Array.MaxLength);
    }

    /// <summary>One organization: its fields, keys, queues and workers as bytes, its jobs, its retention order.</summary>
    internal sealed record Org(ReadOnlyMemory<byte> Head, JobCapture[] Jobs, Guid[] Finished);
}

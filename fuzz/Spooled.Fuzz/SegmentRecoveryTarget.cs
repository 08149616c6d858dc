using System.Buffers.Binary;
using Spooled.Log;
using Spooled.Log.Format;
using Spooled.Testing;

namespace Spooled.Fuzz;

/// <summary>
/// Recovery (<see cref="SegmentedLog.Open"/>) over arbitrary segment bytes in a <see cref="SimulatedStorage"/>.
/// Input layout: one mode byte, then the log's byte stream.
/// <list type="bullet">
/// <item>Mode bit 0: put a valid segment header (base 0, batch 0) in front of the stream, so mutations
/// of the records are not all stopped by the header's checksum.</item>
/// <item>Mode bit 1: open with <see cref="RecoveryMode.Repair"/> instead of Strict.</item>
/// <item>The stream becomes segment files: it is cut wherever a valid segment header sits at the log
/// position it names (the concatenation of a real log's segments splits back into those segments),
/// and the first file is named for the base its header claims, or 0.</item>
/// </list>
/// Allowed (plan §5.3): the log opens, or, in Strict mode only, <see cref="LogCorruptionException"/>.
/// After an open: the report counts the records that read back, reading them all does not throw, and
/// recovering again changes nothing (no byte of any file, the same records, nothing cut or adopted).
/// </summary>
public sealed class SegmentRecoveryTarget : IFuzzTarget
{
    /// <summary>Mode bit: prefix a valid segment header.</summary>
    public const byte PrefixHeader = 1;

    /// <summary>Mode bit: recover in <see cref="RecoveryMode.Repair"/>.</summary>
    public const byte Repair = 2;

    /// <inheritdoc />
    public string Name => "segment-recovery";

    /// <inheritdoc />
    public void Fuzz(ReadOnlySpan<byte> input)
    {
        var mode = input.IsEmpty ? (byte)0 : input[0];
        var body = input.IsEmpty ? input : input[1..];
        byte[] stream;
        if ((mode & PrefixHeader) != 0)
        {
            stream = new byte[SegmentHeader.Size + body.Length];
            new SegmentHeader(0, 0, 0).WriteTo(stream);
            body.CopyTo(stream.AsSpan(SegmentHeader.Size));
        }
        else
        {
            stream = body.ToArray();
        }

        var storage = new SimulatedStorage();
        WriteSegments(storage, stream);
        var repair = (mode & Repair) != 0;
        SegmentedLog opened;
        try
        {
            opened = SegmentedLog.Open(Options(storage, repair ? RecoveryMode.Repair : RecoveryMode.Strict));
        }
        catch (LogCorruptionException) when (!repair)
        {
            return;
        }

        // From here on nothing may throw: not reading what recovery accepted, not recovering again.
        List<(long Position, byte[] Payload)> records;
        long end;
        using (var log = opened)
        {
            records = ReadAll(log);
            end = log.EndPosition;
            if (log.Recovery.Records != records.Count || log.Recovery.EndPosition != end)
            {
                throw new FuzzOracleException($"Recovery reported {log.Recovery.Records} record(s) ending at {log.Recovery.EndPosition}, but {records.Count} read back and the log ends at {end}.");
            }
        }

        var recovered = CopyFiles(storage);
        using (var again = SegmentedLog.Open(Options(storage, RecoveryMode.Strict)))
        {
            var report = again.Recovery;
            if (report.TornBytesTruncated != 0 || report.RecordsAdopted != 0 || report.RemovedIncompleteSegment is not null || again.EndPosition != end)
            {
                throw new FuzzOracleException($"Recovering a recovered log changed it: {report}; the first recovery ended at {end}.");
            }

            var reread = ReadAll(again);
            if (reread.Count != records.Count)
            {
                throw new FuzzOracleException($"Recovering a recovered log gave {reread.Count} record(s) instead of {records.Count}.");
            }

            for (var i = 0; i < records.Count; i++)
            {
                if (reread[i].Position != records[i].Position || !reread[i].Payload.AsSpan().SequenceEqual(records[i].Payload))
                {
                    throw new FuzzOracleException($"Recovering a recovered log changed record {i} (position {records[i].Position}).");
                }
            }
        }

        var after = CopyFiles(storage);
        if (after.Count != recovered.Count)
        {
            throw new FuzzOracleException("Recovering a recovered log added or removed files.");
        }

        foreach (var (name, content) in recovered)
        {
            if (!after.TryGetValue(name, out var now) || !now.AsSpan().SequenceEqual(content))
            {
                throw new FuzzOracleException($"Recovering a recovered log changed '{name}'.");
            }
        }
    }

    private static LogOptions Options(SimulatedStorage storage, RecoveryMode recovery) => new()
    {
        Storage = storage,
        Durability = DurabilityPolicy.Fsync,
        SegmentSize = 1024 * 1024,
        MaxRecordSize = 64 * 1024,
        Recovery = recovery,
    };

    private static List<(long Position, byte[] Payload)> ReadAll(SegmentedLog log)
    {
        var records = new List<(long, byte[])>();
        using var reader = log.ReadFrom(log.StartPosition);
        while (reader.TryRead(out var record))
        {
            records.Add((record.Position, record.Payload.ToArray()));
        }

        return records;
    }

    private static SortedDictionary<string, byte[]> CopyFiles(SimulatedStorage storage)
    {
        var copy = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in storage.ListFiles())
        {
            copy.Add(name, storage.GetBytes(name));
        }

        return copy;
    }

    /// <summary>Cuts the stream into segment files where a valid header names its own position.</summary>
    private static void WriteSegments(SimulatedStorage storage, byte[] stream)
    {
        if (stream.Length == 0)
        {
            return;
        }

        var basePosition = SegmentHeader.TryRead(stream, out var first, out _) && first.BasePosition is >= 0 and <= long.MaxValue / 2 ? first.BasePosition : 0;
        var start = 0;
        for (var offset = 1; offset + SegmentHeader.Size <= stream.Length; offset++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(stream.AsSpan(offset)) == SegmentHeader.Magic
                && SegmentHeader.TryRead(stream.AsSpan(offset), out var header, out _)
                && header.BasePosition == basePosition + offset)
            {
                storage.WriteFile(SegmentName.For(basePosition + start), stream.AsSpan(start, offset - start));
                start = offset;
            }
        }

        storage.WriteFile(SegmentName.For(basePosition + start), stream.AsSpan(start));
    }
}

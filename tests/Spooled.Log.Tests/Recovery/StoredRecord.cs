namespace Spooled.Log.Tests.Recovery;

/// <summary>A data record read back from a log: its position and a copy of its payload.</summary>
internal sealed record StoredRecord(long Position, byte[] Payload)
{
    public int Id => Recovery.Payload.IdOf(Payload);

    /// <summary>Every data record of <paramref name="log"/> from its start to its end, payloads copied.</summary>
    public static List<StoredRecord> ReadAll(SegmentedLog log) => ReadFrom(log, log.StartPosition);

    /// <summary>Every data record of <paramref name="log"/> from <paramref name="position"/> to its end.</summary>
    public static List<StoredRecord> ReadFrom(SegmentedLog log, long position)
    {
        var records = new List<StoredRecord>();
        using var reader = log.ReadFrom(position);
        while (reader.TryRead(out var record))
        {
            records.Add(new StoredRecord(record.Position, record.Payload.ToArray()));
        }

        return records;
    }

    /// <summary>"pos:id" for each record, for failure messages.</summary>
    public static string Describe(IEnumerable<StoredRecord> records) => string.Join(' ', records.Select(r => $"{r.Position}:#{r.Id}"));

    public override string ToString() => $"{Position}:#{Id}({Payload.Length}B)";
}

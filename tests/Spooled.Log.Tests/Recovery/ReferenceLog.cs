using Spooled.Testing;

namespace Spooled.Log.Tests.Recovery;

/// <summary>A closed, fully synced log built by a fixed sequence of appends, to be copied and damaged.</summary>
internal sealed record ReferenceLog(SimulatedStorage Disk, IReadOnlyList<StoredRecord> Records, LogLayout Layout)
{
    /// <summary>
    /// Appends batches of 1 to <paramref name="maxBatch"/> records (4 to <paramref name="maxSize"/> bytes, a third of
    /// them compressible) with the <see cref="CrashScenarioRunner"/> options until the log has at least
    /// <paramref name="segments"/> segments, the last holding at least <paramref name="lastBatches"/> batches and
    /// <paramref name="lastLength"/> bytes; then closes it cleanly.
    /// </summary>
    public static async Task<ReferenceLog> BuildAsync(int segments, int lastBatches, long lastLength, int maxBatch, int maxSize, int seed)
    {
        var disk = new SimulatedStorage();
#pragma warning disable CA5394 // Test data, not security.
        var random = new Random(seed);
        var id = 1;
        List<StoredRecord> records;
        await using (var log = SegmentedLog.Open(CrashScenarioRunner.Options(disk)))
        {
            var batchesInLast = 0;
            var lastBase = 0L;
            while (true)
            {
                var bases = log.SegmentBasePositions();
                if (bases[^1] != lastBase)
                {
                    lastBase = bases[^1];
                    batchesInLast = 0;
                }

                if (bases.Count >= segments && batchesInLast >= lastBatches && log.EndPosition - lastBase >= lastLength)
                {
                    break;
                }

                var batch = new List<ReadOnlyMemory<byte>>();
                var count = random.Next(1, maxBatch + 1);
                for (var i = 0; i < count; i++)
                {
                    batch.Add(Payload.Create(id++, random.Next(Payload.MinSize, maxSize + 1), random.Next(3) == 0));
                }
#pragma warning restore CA5394

                var before = log.SegmentBasePositions()[^1];
                if (count == 1)
                {
                    await log.AppendAsync(batch[0]);
                }
                else
                {
                    await log.AppendAsync(batch);
                }

                if (log.SegmentBasePositions()[^1] == before)
                {
                    batchesInLast++;
                }
                else
                {
                    lastBase = log.SegmentBasePositions()[^1];
                    batchesInLast = 1;
                }
            }

            records = StoredRecord.ReadAll(log);
        }

        var layout = LogLayout.Read(disk);
        foreach (var segment in layout.Segments)
        {
            Assert.True(segment.IntactEnd == segment.Length, $"the reference log does not parse:{Environment.NewLine}{layout}");
        }

        return new ReferenceLog(disk, records, layout);
    }
}

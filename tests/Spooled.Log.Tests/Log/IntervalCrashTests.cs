using Spooled.Testing;

namespace Spooled.Log.Tests.Log;

/// <summary>
/// Under <see cref="DurabilityPolicy.Interval"/> several written but unsynced batches sit at the tail.
/// A power loss may tear any of them, out of order; the durable-batch stamps must let recovery see
/// that as a torn write (never as corruption), and keep everything that was synced.
/// </summary>
public sealed class IntervalCrashTests
{
    [Theory]
    [InlineData(CrashMode.Torn)]
    [InlineData(CrashMode.Garbage)]
    [InlineData(CrashMode.KeepPrefix)]
    [InlineData(CrashMode.ZeroTail)]
    [InlineData(CrashMode.Random)]
    public async Task PowerLoss_AcrossUnsyncedBatches_IsATornWrite_AndSyncedRecordsSurvive(CrashMode mode)
    {
        for (var seed = 0; seed < 60; seed++)
        {
            var storage = new SimulatedStorage();
            var options = new LogOptions { Storage = storage, Durability = DurabilityPolicy.Interval(60_000), SegmentSize = 8192, MaxRecordSize = 1000 };
            var log = SegmentedLog.Open(options);
            var appended = new List<(long Position, byte[] Payload)>();
            var random = new Random(seed);

            // The first batch after open is synced (nothing was synced in this interval yet); the
            // next ones are written, acknowledged, and left unsynced.
            for (var i = 0; i < 12; i++)
            {
                var payload = new byte[1 + random.Next(700)];
                random.NextBytes(payload);
                payload[0] = (byte)i;
                appended.Add((await log.AppendAsync(payload), payload));
            }

            storage.Crash(new Random(seed), mode);
            SegmentedLog reopened;
            try
            {
                reopened = SegmentedLog.Open(options);
            }
            catch (LogCorruptionException error)
            {
                Assert.Fail($"seed {seed}, {mode}: a torn unsynced tail was called corruption: {error.Message}");
                return;
            }

            await using (reopened)
            {
                var recovered = new List<(long Position, byte[] Payload)>();
                using (var reader = reopened.ReadFrom(reopened.StartPosition))
                {
                    while (reader.TryRead(out var record))
                    {
                        recovered.Add((record.Position, record.Payload.ToArray()));
                    }
                }

                Assert.True(recovered.Count >= 1, $"seed {seed}, {mode}: the synced first record was lost");
                Assert.True(recovered.Count <= appended.Count, $"seed {seed}, {mode}: records appeared that were never appended");
                for (var i = 0; i < recovered.Count; i++)
                {
                    Assert.Equal(appended[i].Position, recovered[i].Position);
                    Assert.Equal(appended[i].Payload, recovered[i].Payload);
                }
            }

            await log.DisposeAsync();
        }
    }
}

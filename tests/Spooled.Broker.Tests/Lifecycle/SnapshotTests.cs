using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class SnapshotTests
{
    /// <summary>Smallest segment the broker accepts: one largest record and a little room.</summary>
    private const long SmallSegment = BrokerOptions.MaxRecordBytes + (64 * 1024);

    [Fact]
    public async Task Changes_after_a_snapshot_survive_a_crash()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var done = await fx.Broker.AddJobAsync(org);
        var claim = await fx.Broker.ClaimOneAsync(org);
        var snapshot = await fx.Broker.SnapshotAsync();
        Assert.Equal(1, snapshot.Jobs);

        await fx.Broker.CompleteAsync(org, done, "w1", claim.LeaseId, Json("{\"r\":1}"));
        var later = await fx.Broker.EnqueueAsync(org, Job("q2", key: "after"));
        await fx.Broker.PauseQueueAsync(org, "q2", "after the snapshot");
        var key = await fx.Broker.CreateApiKeyAsync(org, "after");
        var before = await fx.Broker.StateBytesAsync();

        await fx.CrashAsync();
        Assert.Equal(snapshot.Position, fx.Broker.Startup.SnapshotPosition);
        Assert.Equal(4, fx.Broker.Startup.RecordsReplayed);
        Assert.Equal(before, await fx.Broker.StateBytesAsync());
        Assert.Equal("{\"r\":1}", System.Text.Encoding.UTF8.GetString((await fx.Broker.JobAsync(org, done)).Result!));
        Assert.Equal(later.Id, (await fx.Broker.EnqueueAsync(org, Job("q2", key: "after"))).Id);
        Assert.False((await fx.Broker.GetQueueAsync(org, "q2")).Enabled);
        Assert.NotNull(fx.Broker.Authenticate(key.Key));
    }

    [Fact]
    public async Task Segments_before_the_older_retained_snapshot_are_deleted_and_a_damaged_newest_falls_back()
    {
        await using var fx = new BrokerFixture(o => o.With(segmentSize: SmallSegment, retentionCap: 0));
        var org = await fx.CreateOrgAsync();
        var random = new Random(7);

        // Incompressible megabyte payloads fill segments fast; cancelled at once, they leave the state small.
        async Task FillAsync(int records)
        {
            for (var i = 0; i < records; i++)
            {
                var result = await fx.Broker.EnqueueBulkAsync(org, new BulkEnqueueRequest
                {
                    QueueName = "bulk",
                    Jobs = [.. Enumerable.Range(0, 4).Select(_ =>
                    {
                        var payload = new byte[1024 * 1024];
                        random.NextBytes(payload);
                        return new JobSpec { Payload = payload };
                    })],
                });
                foreach (var item in result.Succeeded)
                {
                    await fx.Broker.CancelAsync(org, item.JobId!.Value);
                }
            }
        }

        await FillAsync(9);
        Assert.True(SegmentBases(fx.Storage).Count >= 3);
        var first = await fx.Broker.SnapshotAsync();
        Assert.True(first.SegmentsDeleted >= 2, $"{first.SegmentsDeleted} segments deleted");
        AssertFirstSegmentHolds(first.Position);

        await FillAsync(5);
        var second = await fx.Broker.SnapshotAsync();
        Assert.Equal(0, second.SegmentsDeleted);
        AssertFirstSegmentHolds(first.Position);

        await FillAsync(5);
        var third = await fx.Broker.SnapshotAsync();
        Assert.True(third.SegmentsDeleted >= 1);
        AssertFirstSegmentHolds(second.Position);
        Assert.Equal([second.Position, third.Position], SnapshotPositions(fx.Storage));

        var keep = await fx.Broker.AddJobAsync(org, "kept");
        var before = await fx.Broker.StateBytesAsync();
        fx.Storage.CorruptAtRest(SnapshotName(third.Position), 100, 0xFF);
        await fx.CrashAsync();

        Assert.Equal(second.Position, fx.Broker.Startup.SnapshotPosition);
        Assert.Equal([SnapshotName(third.Position)], fx.Broker.Startup.SkippedSnapshots);
        Assert.True(fx.Broker.Startup.RecordsReplayed >= 21);
        Assert.Equal(before, await fx.Broker.StateBytesAsync());
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, keep)).Status);

        void AssertFirstSegmentHolds(long position)
        {
            var bases = SegmentBases(fx.Storage);
            Assert.True(bases[0] <= position, $"the segment holding {position} was deleted");
            Assert.True(bases.Count == 1 || bases[1] > position, $"a segment wholly before {position} is still there");
        }
    }

    [Fact]
    public async Task Damaged_newest_snapshot_falls_back_to_the_older_one_and_replays()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var early = await fx.Broker.AddJobAsync(org);
        var older = await fx.Broker.SnapshotAsync();
        var middle = await fx.Broker.AddJobAsync(org, priority: 3);
        var claim = await fx.Broker.ClaimOneAsync(org);
        Assert.Equal(middle, claim.Id);
        var newer = await fx.Broker.SnapshotAsync();
        Assert.True(newer.Position > older.Position);
        await fx.Broker.CompleteAsync(org, middle, "w1", claim.LeaseId, null);
        var before = await fx.Broker.StateBytesAsync();

        fx.Storage.CorruptAtRest(SnapshotName(newer.Position), fx.Storage.GetBytes(SnapshotName(newer.Position)).Length - 1, 0x01);
        await fx.RestartAsync();

        Assert.Equal(older.Position, fx.Broker.Startup.SnapshotPosition);
        Assert.Single(fx.Broker.Startup.SkippedSnapshots);
        Assert.Equal(3, fx.Broker.Startup.RecordsReplayed);
        Assert.Equal(before, await fx.Broker.StateBytesAsync());
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, early)).Status);
        Assert.Equal(JobStatus.Completed, (await fx.Broker.JobAsync(org, middle)).Status);
    }

    [Fact]
    public async Task Both_snapshots_damaged_falls_back_to_replaying_the_whole_log()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        var older = await fx.Broker.SnapshotAsync();
        await fx.Broker.CancelAsync(org, id);
        var newer = await fx.Broker.SnapshotAsync();
        var before = await fx.Broker.StateBytesAsync();

        fx.Storage.CorruptAtRest(SnapshotName(older.Position), 40, 0x10);
        fx.Storage.CorruptAtRest(SnapshotName(newer.Position), 40, 0x10);
        await fx.RestartAsync();

        Assert.Null(fx.Broker.Startup.SnapshotPosition);
        Assert.Equal(2, fx.Broker.Startup.SkippedSnapshots.Count);
        Assert.Equal(before, await fx.Broker.StateBytesAsync());
    }
}

using Spooled.Broker.Tests.Support;
using Spooled.Log;
using Spooled.Testing;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class ExpiresAtTests
{
    private static JobSpec Expiring(TimeSpan after, DateTimeOffset? scheduledAt = null) => new()
    {
        QueueName = "q",
        Payload = Json("{}"),
        ExpiresAt = BrokerFixture.Epoch + after,
        ScheduledAt = scheduledAt,
    };

    [Fact]
    public async Task Unclaimed_job_past_expires_at_is_cancelled_and_not_claimable()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = (await fx.Broker.EnqueueAsync(org, Expiring(TimeSpan.FromMinutes(1)))).Id;

        await fx.AdvanceAsync(TimeSpan.FromSeconds(59));
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, id)).Status);

        await fx.AdvanceAsync(TimeSpan.FromSeconds(1));
        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.Contains("Expired", job.LastError, StringComparison.Ordinal);
        Assert.Equal(BrokerFixture.Epoch.AddMinutes(1), job.CompletedAt);
        Assert.Equal(BrokerFixture.Epoch.AddMinutes(1), job.ExpiresAt);
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 10));
        var counts = await fx.Broker.GetJobCountsAsync(org);
        Assert.Equal((0, 1), (counts.Pending, counts.Cancelled));
    }

    [Fact]
    public async Task Expiry_applies_in_a_paused_queue()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = (await fx.Broker.EnqueueAsync(org, Expiring(TimeSpan.FromMinutes(1)))).Id;
        await fx.Broker.PauseQueueAsync(org, "q", null);

        await fx.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(JobStatus.Cancelled, (await fx.Broker.JobAsync(org, id)).Status);
        await fx.Broker.ResumeQueueAsync(org, "q");
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 10));
    }

    [Fact]
    public async Task Scheduled_job_expiring_before_it_is_due_is_cancelled()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = (await fx.Broker.EnqueueAsync(org, Expiring(TimeSpan.FromMinutes(1), BrokerFixture.Epoch.AddMinutes(5)))).Id;

        await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(JobStatus.Cancelled, (await fx.Broker.JobAsync(org, id)).Status);
        await fx.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(JobStatus.Cancelled, (await fx.Broker.JobAsync(org, id)).Status);
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 10));
    }

    [Fact]
    public async Task Expiry_is_enforced_after_a_crash()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = (await fx.Broker.EnqueueAsync(org, Expiring(TimeSpan.FromMinutes(1)))).Id;
        await fx.Broker.SnapshotAsync();
        await fx.CrashAsync();

        await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(JobStatus.Cancelled, (await fx.Broker.JobAsync(org, id)).Status);
    }

    [Fact]
    public async Task Job_claimed_before_expiry_is_not_cancelled_by_it()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = (await fx.Broker.EnqueueAsync(org, Expiring(TimeSpan.FromMinutes(1)))).Id;
        var claim = await fx.Broker.ClaimOneAsync(org, leaseSeconds: 600);

        await fx.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(org, id)).Status);
        await fx.Broker.CompleteAsync(org, id, "w1", claim.LeaseId, null);
        Assert.Equal(JobStatus.Completed, (await fx.Broker.JobAsync(org, id)).Status);
    }

    [Fact]
    public async Task Job_claimed_once_is_retried_past_its_expiry_instead_of_cancelled()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = (await fx.Broker.EnqueueAsync(org, Expiring(TimeSpan.FromMinutes(5)))).Id;
        var claim = await fx.Broker.ClaimOneAsync(org);
        await fx.Broker.FailAsync(org, id, "w1", claim.LeaseId, "transient");

        // The retry comes due (1 min backoff) and the expiry passes: it was delivered in time, so it is retried.
        await fx.AdvanceAsync(TimeSpan.FromMinutes(6));
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, id)).Status);
        await fx.RestartAsync();
        Assert.Equal(id, (await fx.Broker.ClaimOneAsync(org)).Id);
    }

    [Fact]
    public async Task Expiry_lost_from_a_torn_final_batch_is_decided_again_on_open()
    {
        var tornBetweenRecords = 0;
        for (var seed = 0; seed < 16; seed++)
        {
            await using var fx = new BrokerFixture(durability: DurabilityPolicy.None);
            var org = await fx.CreateOrgAsync();
            var held = await fx.Broker.AddJobAsync(org, "held");
            var expiring = (await fx.Broker.EnqueueAsync(org, Expiring(TimeSpan.FromMinutes(1)))).Id;
            await fx.Broker.ClaimOneAsync(org, "held", leaseSeconds: 60);
            await fx.RestartAsync();
            var synced = fx.Broker.Startup.RecordsReplayed;

            // One timer turn writes the lease expiry and then the job expiry, in one unsynced batch.
            await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
            await fx.CrashAsync(seed, CrashMode.KeepPrefix);

            if (fx.Broker.Startup.RecordsReplayed == synced + 1)
            {
                tornBetweenRecords++;
                Assert.Equal(1, (await fx.Broker.JobAsync(org, held)).RetryCount);
            }

            Assert.Equal(JobStatus.Cancelled, (await fx.Broker.JobAsync(org, expiring)).Status);
        }

        Assert.True(tornBetweenRecords > 0, "no crash kept the lease expiry without the job expiry");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Job_held_at_its_expiry_and_released_later_fares_the_same_after_a_restart(bool snapshot)
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = (await fx.Broker.EnqueueAsync(org, Expiring(TimeSpan.FromMinutes(1)))).Id;
        await fx.Broker.ClaimOneAsync(org, leaseSeconds: 120);

        // Held when its expiry comes due; the lease then runs out and the job waits again.
        await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
        await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
        var live = await fx.Broker.JobAsync(org, id);
        Assert.Equal(JobStatus.Pending, live.Status);
        var before = await fx.Broker.StateBytesAsync();

        if (snapshot)
        {
            await fx.Broker.SnapshotAsync();
        }

        await fx.RestartAsync();
        var reopened = await fx.Broker.JobAsync(org, id);
        Assert.Equal(live.Status, reopened.Status);
        Assert.Equal(before, await fx.Broker.StateBytesAsync());
    }
}

using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

/// <summary>
/// A claim is answered once the jobs it hands out are durable, without waiting for its own lease
/// record; a lease lost in a crash only means the job is delivered again, and the worker's
/// acknowledgement under the lost lease is refused rather than applied.
/// </summary>
public sealed class EarlyClaimTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_claim_of_durable_jobs_is_answered_while_its_own_record_waits_for_the_disk()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);

        fx.Storage.HoldFlushes();
        try
        {
            var claimed = await fx.Broker.ClaimManyAsync(org, "q", 10).WaitAsync(s_patience);
            Assert.Equal(id, Assert.Single(claimed).Id);

            // Anything else still waits for its sync: an enqueue, and a read after the claim.
            var enqueue = fx.Broker.AddJobAsync(org);
            var read = fx.Broker.GetJobAsync(org, id);
            await Task.Delay(200);
            Assert.False(enqueue.IsCompleted);
            Assert.False(read.IsCompleted);
            fx.Storage.ReleaseFlushes();
            await enqueue.WaitAsync(s_patience);
            Assert.Equal(JobStatus.Processing, (await read.WaitAsync(s_patience))!.Status);
        }
        finally
        {
            fx.Storage.ReleaseFlushes();
        }
    }

    [Fact]
    public async Task A_claim_never_hands_out_a_job_whose_enqueue_is_not_yet_durable()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        fx.Storage.HoldFlushes();
        try
        {
            var enqueue = fx.Broker.AddJobAsync(org);
            var claim = fx.Broker.ClaimManyAsync(org, "q", 10);
            await Task.Delay(200);
            Assert.False(enqueue.IsCompleted);
            Assert.False(claim.IsCompleted);
            fx.Storage.ReleaseFlushes();
            var id = await enqueue.WaitAsync(s_patience);
            Assert.Equal(id, Assert.Single(await claim.WaitAsync(s_patience)).Id);
        }
        finally
        {
            fx.Storage.ReleaseFlushes();
        }
    }

    [Fact]
    public async Task A_lease_lost_in_a_crash_redelivers_the_job_and_refuses_the_old_lease()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);

        fx.Storage.HoldFlushes();
        ClaimedJob lost;
        try
        {
            lost = Assert.Single(await fx.Broker.ClaimManyAsync(org, "q", 10, worker: "w1").WaitAsync(s_patience));
        }
        catch
        {
            fx.Storage.ReleaseFlushes();
            throw;
        }

        await fx.CrashAsync(); // The claim's record never reached the disk (the crash ends the held flush).

        var pending = await fx.Broker.GetJobAsync(org, id);
        Assert.Equal(JobStatus.Pending, pending!.Status);
        var again = Assert.Single(await fx.Broker.ClaimManyAsync(org, "q", 10, worker: "w2"));
        Assert.Equal(id, again.Id);
        Assert.NotEqual(lost.LeaseId, again.LeaseId);

        // The first worker's acknowledgement under its lost lease is refused, never applied.
        var refused = await Assert.ThrowsAsync<BrokerException>(() => fx.Broker.CompleteAsync(org, id, "w1", lost.LeaseId, null));
        Assert.Equal(BrokerErrorCode.LeaseExpired, refused.Code);
        await fx.Broker.CompleteAsync(org, id, "w2", again.LeaseId, null);
        Assert.Equal(JobStatus.Completed, (await fx.Broker.GetJobAsync(org, id))!.Status);
    }
}

using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class LeaseExpiryTests
{
    [Fact]
    public async Task Expired_lease_is_redelivered_within_a_second_as_a_failed_attempt()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        var first = await fx.Broker.ClaimOneAsync(org, leaseSeconds: 30);

        await fx.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(org, id)).Status);

        await fx.AdvanceAsync(TimeSpan.FromSeconds(2));
        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(1, job.RetryCount);
        Assert.Equal("Lease expired (worker timeout)", job.LastError);
        Assert.Null(job.LeaseId);

        // No backoff: the worker vanished, the job did not fail.
        var again = await fx.Broker.ClaimOneAsync(org, worker: "w2");
        Assert.Equal(id, again.Id);
        Assert.Equal(1, again.RetryCount);
        Assert.NotEqual(first.LeaseId, again.LeaseId);
    }

    [Fact]
    public async Task Expiry_happens_even_with_no_request_in_between()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        await fx.Broker.ClaimOneAsync(org, leaseSeconds: 5);

        // No request follows the clock move: only the broker's own timer can change the job, so watch
        // the job itself rather than ask (a request would run the timers first).
        var held = await fx.Broker.ReadStateAsync(s => s.Jobs[id]);
        fx.Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(SpinWait.SpinUntil(() => held.Status == JobStatus.Pending, TimeSpan.FromSeconds(10)), "the lease did not expire on its own");
        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(1, job.RetryCount);
        Assert.Equal(BrokerFixture.Epoch.AddSeconds(6), job.UpdatedAt);
    }

    [Fact]
    public async Task Expired_lease_with_no_retries_left_dead_letters()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org, maxRetries: 1);

        await fx.Broker.ClaimOneAsync(org, leaseSeconds: 5);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(6));
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, id)).Status);

        await fx.Broker.ClaimOneAsync(org, leaseSeconds: 5);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(6));
        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(JobStatus.DeadLetter, job.Status);
        Assert.Equal(2, job.RetryCount);
        Assert.Equal("Max retries exceeded after lease expiration", job.LastError);
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 1));
    }

    [Fact]
    public async Task Lease_expiry_is_enforced_after_a_crash()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        await fx.Broker.ClaimOneAsync(org, leaseSeconds: 60);
        // A claim is answered before its own lease is durable (design.md 2.4); the read after it
        // waits for everything written before it, the lease included.
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(org, id)).Status);

        await fx.CrashAsync();
        await fx.AdvanceAsync(TimeSpan.FromSeconds(59));
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(org, id)).Status);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, id)).Status);
    }

    [Fact]
    public async Task Lease_that_ran_out_while_the_broker_was_down_expires_on_open()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        await fx.Broker.ClaimOneAsync(org, leaseSeconds: 10);

        await fx.Broker.DisposeAsync();
        fx.Clock.Advance(TimeSpan.FromMinutes(5));
        await fx.RestartAsync();
        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(1, job.RetryCount);
    }

    [Fact]
    public async Task Deregistering_a_worker_releases_its_jobs_at_once_without_counting_an_attempt()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.RegisterWorkerAsync(org, new WorkerRegistration { WorkerId = "w1", QueueName = "q", Hostname = "h1" });
        var a = await fx.Broker.AddJobAsync(org);
        var b = await fx.Broker.AddJobAsync(org);
        var other = await fx.Broker.AddJobAsync(org);
        var held = await fx.Broker.ClaimManyAsync(org, "q", 2, worker: "w1", leaseSeconds: 600);
        var kept = await fx.Broker.ClaimOneAsync(org, worker: "w2", leaseSeconds: 600);
        Assert.Equal(other, kept.Id);

        Assert.Equal(2, await fx.Broker.DeregisterWorkerAsync(org, "w1"));

        foreach (var id in new[] { a, b })
        {
            var job = await fx.Broker.JobAsync(org, id);
            Assert.Equal(JobStatus.Pending, job.Status);
            Assert.Equal(0, job.RetryCount);
            Assert.Null(job.LeaseId);
            Assert.Null(job.LastError);
        }

        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(org, other)).Status);
        var reclaimed = await fx.Broker.ClaimManyAsync(org, "q", 10, worker: "w3");
        Assert.Equal([a, b], reclaimed.Select(c => c.Id));
        await RefusedAsync(BrokerErrorCode.LeaseExpired, () => fx.Broker.CompleteAsync(org, a, "w1", held[0].LeaseId, null));
        Assert.Equal(WorkerStatus.Offline, (await fx.Broker.GetWorkerAsync(org, "w1")).Status);
    }
}

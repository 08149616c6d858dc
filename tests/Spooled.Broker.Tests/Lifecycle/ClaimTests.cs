using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class ClaimTests
{
    [Fact]
    public async Task Highest_priority_first_then_enqueue_order_at_one_instant()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var priorities = new[] { 0, 5, 0, 5, -3, 100, 0, -100, 5 };
        var ids = new List<Guid>();
        foreach (var priority in priorities)
        {
            ids.Add(await fx.Broker.AddJobAsync(org, priority: priority));
        }

        // The ids are random, so only the enqueue sequence can produce this order.
        var expected = priorities.Select((p, i) => (p, i)).OrderByDescending(x => x.p).ThenBy(x => x.i).Select(x => ids[x.i]).ToList();
        var claimed = new List<Guid>();
        for (var i = 0; i < priorities.Length; i += 2)
        {
            claimed.AddRange((await fx.Broker.ClaimManyAsync(org, "q", 2)).Select(c => c.Id));
        }

        Assert.Equal(expected, claimed);
    }

    [Fact]
    public async Task Limit_caps_the_claim_and_is_1_to_100()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        for (var i = 0; i < 5; i++)
        {
            await fx.Broker.AddJobAsync(org);
        }

        Assert.Equal(3, (await fx.Broker.ClaimManyAsync(org, "q", 3)).Count);
        Assert.Equal(2, (await fx.Broker.ClaimManyAsync(org, "q", 100)).Count);
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 100));
        await InvalidAsync("limit", () => fx.Broker.ClaimManyAsync(org, "q", 0));
        await InvalidAsync("limit", () => fx.Broker.ClaimManyAsync(org, "q", 101));
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(3601, false)]
    [InlineData(5, true)]
    [InlineData(3600, true)]
    public async Task Lease_is_5_to_3600_seconds_and_expires_at_now_plus_lease(int lease, bool valid)
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(17));
        if (!valid)
        {
            await InvalidAsync("lease_duration_secs", () => fx.Broker.ClaimManyAsync(org, "q", 1, leaseSeconds: lease));
            Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, id)).Status);
            return;
        }

        var now = fx.Clock.GetUtcNow();
        var claimed = await fx.Broker.ClaimOneAsync(org, leaseSeconds: lease);
        Assert.Equal(now.AddSeconds(lease), claimed.LeaseExpiresAt);
        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(JobStatus.Processing, job.Status);
        Assert.Equal(now.AddSeconds(lease), job.LeaseExpiresAt);
        Assert.Equal(claimed.LeaseId, job.LeaseId);
        Assert.Equal("w1", job.AssignedWorkerId);
        Assert.Equal(now, job.StartedAt);
    }

    [Fact]
    public async Task Worker_id_is_required()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.AddJobAsync(org);
        await InvalidAsync("worker_id", () => fx.Broker.ClaimManyAsync(org, "q", 1, worker: ""));
        await InvalidAsync("queue_name", () => fx.Broker.ClaimManyAsync(org, "no good", 1));
    }

    [Fact]
    public async Task Each_claim_gets_a_fresh_lease_id()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        for (var i = 0; i < 10; i++)
        {
            await fx.Broker.AddJobAsync(org);
        }

        var first = await fx.Broker.ClaimManyAsync(org, "q", 10, leaseSeconds: 5);
        Assert.Equal(10, first.Select(c => c.LeaseId).Distinct().Count());
        Assert.DoesNotContain(Guid.Empty, first.Select(c => c.LeaseId));

        await fx.AdvanceAsync(TimeSpan.FromSeconds(6));
        var second = await fx.Broker.ClaimManyAsync(org, "q", 10);
        Assert.Equal(first.Select(c => c.Id).Order(), second.Select(c => c.Id).Order());
        Assert.Empty(first.Select(c => c.LeaseId).Intersect(second.Select(c => c.LeaseId)));
        Assert.Equal(10, second.Select(c => c.LeaseId).Distinct().Count());
    }

    [Fact]
    public async Task Jobs_not_yet_due_are_skipped()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ScheduledAt = BrokerFixture.Epoch.AddMinutes(1), Priority = 100 });
        var backingOff = await fx.Broker.AddJobAsync(org, priority: 50);
        var held = await fx.Broker.ClaimOneAsync(org);
        Assert.Equal(backingOff, held.Id);
        await fx.Broker.FailAsync(org, backingOff, "w1", held.LeaseId, "boom");
        var ready = await fx.Broker.AddJobAsync(org, priority: -100);

        var claimed = await fx.Broker.ClaimManyAsync(org, "q", 10);
        Assert.Equal(ready, Assert.Single(claimed).Id);
    }

    [Fact]
    public async Task Paused_queue_yields_nothing_until_resumed()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        await fx.Broker.PauseQueueAsync(org, "q", "maintenance");

        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 10));
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, id)).Status);

        // Enqueueing goes on while paused.
        var later = await fx.Broker.AddJobAsync(org);
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 10));

        await fx.Broker.ResumeQueueAsync(org, "q");
        Assert.Equal([id, later], (await fx.Broker.ClaimManyAsync(org, "q", 10)).Select(c => c.Id));
    }

    [Fact]
    public async Task Unknown_queue_yields_nothing()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.AddJobAsync(org, "real");
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "imaginary", 10));
    }

    [Fact]
    public async Task Concurrent_claims_never_hand_out_a_job_twice()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var bulk = await fx.Broker.EnqueueBulkAsync(org, new BulkEnqueueRequest { QueueName = "q", Jobs = [.. Enumerable.Range(0, 90).Select(_ => Job())] });
        var claims = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => fx.Broker.ClaimManyAsync(org, "q", 3, worker: $"w{i}"))));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(90, all.Count);
        Assert.Equal(90, all.Select(c => c.Id).Distinct().Count());
        Assert.Equal(bulk.Succeeded.Select(s => s.JobId!.Value).Order(), all.Select(c => c.Id).Order());
        Assert.Equal(90, (await fx.Broker.GetJobCountsAsync(org)).Processing);
    }

    [Fact]
    public async Task Claimed_job_is_not_claimable_again_while_its_lease_runs()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.AddJobAsync(org);
        await fx.Broker.ClaimOneAsync(org, leaseSeconds: 60);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(59));
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 10, worker: "w2"));
    }
}

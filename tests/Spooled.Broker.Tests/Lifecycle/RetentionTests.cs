using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class RetentionTests
{
    private static async Task<Guid> CompleteOneAsync(BrokerFixture fx, string org, string queue = "q")
    {
        var id = await fx.Broker.AddJobAsync(org, queue);
        var claim = await fx.Broker.ClaimOneAsync(org, queue);
        Assert.Equal(id, claim.Id);
        await fx.Broker.CompleteAsync(org, id, "w1", claim.LeaseId, null);
        return id;
    }

    [Fact]
    public async Task Completed_and_cancelled_jobs_go_once_the_window_has_passed()
    {
        await using var fx = new BrokerFixture(o => o.With(retentionWindow: TimeSpan.FromMinutes(10)));
        var org = await fx.CreateOrgAsync();
        await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
        var completed = await CompleteOneAsync(fx, org);
        await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
        var cancelled = await fx.Broker.AddJobAsync(org);
        await fx.Broker.CancelAsync(org, cancelled);
        var waiting = await fx.Broker.AddJobAsync(org, "idle");

        await fx.AdvanceAsync(TimeSpan.FromMinutes(9) - TimeSpan.FromSeconds(1));
        Assert.NotNull(await fx.Broker.GetJobAsync(org, completed));

        await fx.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Null(await fx.Broker.GetJobAsync(org, completed));
        Assert.NotNull(await fx.Broker.GetJobAsync(org, cancelled));

        await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Null(await fx.Broker.GetJobAsync(org, cancelled));
        Assert.Equal([waiting], (await fx.Broker.ListJobsAsync(org, new JobQuery())).Select(j => j.Id));
        var counts = await fx.Broker.GetJobCountsAsync(org);
        Assert.Equal((1, 0, 0), (counts.Total, counts.Completed, counts.Cancelled));

        await fx.CrashAsync();
        Assert.Equal(1, (await fx.Broker.GetJobCountsAsync(org)).Total);
    }

    [Fact]
    public async Task Dead_letter_and_active_jobs_outlive_the_window()
    {
        await using var fx = new BrokerFixture(o => o.With(retentionWindow: TimeSpan.FromMinutes(1)));
        var org = await fx.CreateOrgAsync();
        var dead = (await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), MaxRetries = 0 })).Id;
        var claim = await fx.Broker.ClaimOneAsync(org);
        await fx.Broker.FailAsync(org, dead, "w1", claim.LeaseId, "fatal");
        var pending = await fx.Broker.AddJobAsync(org);
        var held = await fx.Broker.AddJobAsync(org, "long");
        await fx.Broker.ClaimOneAsync(org, "long", leaseSeconds: 3600);
        await CompleteOneAsync(fx, org, "done");

        await fx.AdvanceAsync(TimeSpan.FromMinutes(30));
        Assert.Equal(JobStatus.DeadLetter, (await fx.Broker.JobAsync(org, dead)).Status);
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, pending)).Status);
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(org, held)).Status);
        Assert.Equal(3, (await fx.Broker.GetJobCountsAsync(org)).Total);
    }

    [Fact]
    public async Task Over_the_cap_the_oldest_finished_jobs_go_first_per_organization()
    {
        await using var fx = new BrokerFixture(o => o.With(retentionCap: 3));
        var org = await fx.CreateOrgAsync();
        var other = await fx.CreateOrgAsync("other");
        var theirs = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            theirs.Add(await CompleteOneAsync(fx, other));
        }

        var finished = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            if (i == 2)
            {
                var cancelled = await fx.Broker.AddJobAsync(org, "c");
                await fx.Broker.CancelAsync(org, cancelled);
                finished.Add(cancelled);
            }
            else
            {
                finished.Add(await CompleteOneAsync(fx, org));
            }
        }

        // The retention order is the finish order, not the enqueue order.
        var lateFinisher = await fx.Broker.AddJobAsync(org, "slow");
        var slowClaim = await fx.Broker.ClaimOneAsync(org, "slow");
        var dead = (await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), MaxRetries = 0 })).Id;
        var deadClaim = await fx.Broker.ClaimOneAsync(org);
        await fx.Broker.FailAsync(org, dead, "w1", deadClaim.LeaseId, "fatal");

        for (var i = 0; i < 2; i++)
        {
            Assert.Null(await fx.Broker.GetJobAsync(org, finished[i]));
        }

        for (var i = 2; i < 5; i++)
        {
            Assert.NotNull(await fx.Broker.GetJobAsync(org, finished[i]));
        }

        await fx.Broker.CompleteAsync(org, lateFinisher, "w1", slowClaim.LeaseId, null);
        Assert.Null(await fx.Broker.GetJobAsync(org, finished[2]));
        Assert.NotNull(await fx.Broker.GetJobAsync(org, lateFinisher));
        Assert.NotNull(await fx.Broker.GetJobAsync(org, dead));
        var counts = await fx.Broker.GetJobCountsAsync(org);
        Assert.Equal((3, 0, 1, 4), (counts.Completed, counts.Cancelled, counts.DeadLetter, counts.Total));
        foreach (var id in theirs)
        {
            Assert.NotNull(await fx.Broker.GetJobAsync(other, id));
        }

        await fx.CrashAsync();
        Assert.Null(await fx.Broker.GetJobAsync(org, finished[2]));
        Assert.Equal(4, (await fx.Broker.GetJobCountsAsync(org)).Total);
    }

    [Fact]
    public async Task Memory_stays_bounded_under_a_sustained_stream()
    {
        const int Cap = 1000;
        const int Batch = 100;
        await using var fx = new BrokerFixture(o => o.With(retentionCap: Cap));
        var org = await fx.CreateOrgAsync();
        var maxJobs = 0;
        var maxSlots = 0;
        for (var round = 0; round < 500; round++)
        {
            var request = new BulkEnqueueRequest
            {
                QueueName = "stream",
                Jobs = [.. Enumerable.Range(0, Batch).Select(i => new JobSpec { Payload = Json("{}"), IdempotencyKey = $"k{round}-{i}" })],
            };
            Assert.Equal(Batch, (await fx.Broker.EnqueueBulkAsync(org, request)).Succeeded.Count);
            var claimed = await fx.Broker.ClaimManyAsync(org, "stream", Batch);
            Assert.Equal(Batch, claimed.Count);

            var held = await fx.Broker.ReadStateAsync(s => (s.Jobs.Count, s.Orgs[org].Jobs.Count, s.Orgs[org].Idempotency.Count));
            Assert.True(held.Item1 <= Cap + Batch, $"{held.Item1} jobs held in round {round}");
            Assert.True(held.Item3 <= Cap + Batch, $"{held.Item3} idempotency keys held in round {round}");
            maxJobs = Math.Max(maxJobs, held.Item1);
            maxSlots = Math.Max(maxSlots, held.Item2);

            var acks = claimed.Select(c => new JobAck { JobId = c.Id, LeaseId = c.LeaseId }).ToList();
            Assert.All(await fx.Broker.CompleteManyAsync(org, "w1", acks), r => Assert.Null(r.Error));
            var after = await fx.Broker.ReadStateAsync(s => (s.Jobs.Count, s.Orgs[org].Finished.Count));
            Assert.True(after.Item1 <= Cap && after.Item2 <= Cap, $"{after} held after round {round}");
        }

        Assert.Equal(Cap + Batch, maxJobs);
        // Holes left by removed jobs are compacted, so the enqueue-order list does not grow either.
        Assert.InRange(maxSlots, Cap + Batch, (2 * (Cap + Batch)) + 1025);
        var counts = await fx.Broker.GetJobCountsAsync(org);
        Assert.Equal((Cap, Cap), (counts.Completed, counts.Total));
    }
}

using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

/// <summary>Cancel, retry, priority change and the dead-letter queue's retry and purge.</summary>
public sealed class OperatorActionTests
{
    private static async Task<Guid> DeadLetterAsync(BrokerFixture fx, string org, string queue = "q", string? key = null)
    {
        var id = (await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = queue, Payload = Json("{}"), MaxRetries = 0, IdempotencyKey = key })).Id;
        var claim = await fx.Broker.ClaimOneAsync(org, queue);
        Assert.Equal(id, claim.Id);
        Assert.False((await fx.Broker.FailAsync(org, id, "w1", claim.LeaseId, "fatal")).WillRetry);
        return id;
    }

    [Fact]
    public async Task Cancel_applies_to_pending_and_scheduled_jobs()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var pending = await fx.Broker.AddJobAsync(org);
        var scheduled = (await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ScheduledAt = BrokerFixture.Epoch.AddMinutes(1) })).Id;
        await fx.AdvanceAsync(TimeSpan.FromSeconds(5));

        await fx.Broker.CancelAsync(org, pending);
        await fx.Broker.CancelAsync(org, scheduled);

        foreach (var id in new[] { pending, scheduled })
        {
            var job = await fx.Broker.JobAsync(org, id);
            Assert.Equal(JobStatus.Cancelled, job.Status);
            Assert.Equal(BrokerFixture.Epoch.AddSeconds(5), job.CompletedAt);
        }

        await fx.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 10));
        Assert.Equal(2, (await fx.Broker.GetJobCountsAsync(org)).Cancelled);
    }

    [Fact]
    public async Task Cancel_of_a_job_in_retry_backoff_takes_it_off_the_timer()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        var claim = await fx.Broker.ClaimOneAsync(org);
        await fx.Broker.FailAsync(org, id, "w1", claim.LeaseId, "boom");
        await fx.Broker.CancelAsync(org, id);

        await fx.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(JobStatus.Cancelled, (await fx.Broker.JobAsync(org, id)).Status);
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 10));
    }

    [Fact]
    public async Task Cancel_of_a_job_in_any_other_state_is_a_conflict()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var processing = await fx.Broker.AddJobAsync(org);
        await fx.Broker.ClaimOneAsync(org);
        var completed = await fx.Broker.AddJobAsync(org);
        var claim = await fx.Broker.ClaimOneAsync(org);
        await fx.Broker.CompleteAsync(org, completed, "w1", claim.LeaseId, null);
        var cancelled = await fx.Broker.AddJobAsync(org);
        await fx.Broker.CancelAsync(org, cancelled);
        var dead = await DeadLetterAsync(fx, org);

        foreach (var (id, status) in new[] { (processing, JobStatus.Processing), (completed, JobStatus.Completed), (cancelled, JobStatus.Cancelled), (dead, JobStatus.DeadLetter) })
        {
            await RefusedAsync(BrokerErrorCode.Conflict, () => fx.Broker.CancelAsync(org, id));
            Assert.Equal(status, (await fx.Broker.JobAsync(org, id)).Status);
        }

        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.CancelAsync(org, Guid.NewGuid()));
    }

    [Fact]
    public async Task Retry_from_the_dead_letter_queue_gives_a_fresh_budget()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = (await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), MaxRetries = 1 })).Id;
        for (var i = 0; i < 2; i++)
        {
            var claim = await fx.Broker.ClaimOneAsync(org);
            await fx.Broker.FailAsync(org, id, "w1", claim.LeaseId, "boom");
            await fx.AdvanceAsync(TimeSpan.FromMinutes(5));
        }

        Assert.Equal(JobStatus.DeadLetter, (await fx.Broker.JobAsync(org, id)).Status);

        var view = await fx.Broker.RetryAsync(org, id);
        Assert.Equal(JobStatus.Pending, view.Status);
        Assert.Equal(0, view.RetryCount);
        Assert.Null(view.LastError);

        // The next failure is a retry again, not an immediate dead-letter.
        var again = await fx.Broker.ClaimOneAsync(org);
        Assert.Equal(0, again.RetryCount);
        var outcome = await fx.Broker.FailAsync(org, id, "w1", again.LeaseId, "boom");
        Assert.True(outcome.WillRetry);
        Assert.Equal(1, outcome.RetryCount);
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, id)).Status);
    }

    [Fact]
    public async Task Retry_of_a_job_not_dead_lettered_is_a_conflict()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var pending = await fx.Broker.AddJobAsync(org, "waiting");
        var held = await fx.Broker.AddJobAsync(org);
        var done = await fx.Broker.AddJobAsync(org);
        var claim = await fx.Broker.ClaimManyAsync(org, "q", 2);
        await fx.Broker.CompleteAsync(org, done, "w1", claim[1].LeaseId, null);

        await RefusedAsync(BrokerErrorCode.Conflict, () => fx.Broker.RetryAsync(org, pending));
        await RefusedAsync(BrokerErrorCode.Conflict, () => fx.Broker.RetryAsync(org, held));
        await RefusedAsync(BrokerErrorCode.Conflict, () => fx.Broker.RetryAsync(org, done));
        Assert.Equal(JobStatus.Completed, (await fx.Broker.JobAsync(org, done)).Status);
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.RetryAsync(org, Guid.NewGuid()));
    }

    [Fact]
    public async Task Priority_change_reorders_the_claims()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var a = await fx.Broker.AddJobAsync(org);
        var b = await fx.Broker.AddJobAsync(org);
        var c = await fx.Broker.AddJobAsync(org);

        var change = await fx.Broker.SetPriorityAsync(org, c, 10);
        Assert.Equal(new PriorityChange(c, 0, 10), change);
        await fx.Broker.SetPriorityAsync(org, a, -1);
        Assert.Equal(10, (await fx.Broker.JobAsync(org, c)).Priority);

        Assert.Equal([c, b, a], (await fx.Broker.ClaimManyAsync(org, "q", 3)).Select(j => j.Id));
    }

    [Fact]
    public async Task Priority_change_of_a_scheduled_job_holds_once_it_is_due()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var ready = await fx.Broker.AddJobAsync(org, priority: 5);
        var scheduled = (await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ScheduledAt = BrokerFixture.Epoch.AddMinutes(1) })).Id;
        await fx.Broker.SetPriorityAsync(org, scheduled, 50);

        await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal([scheduled, ready], (await fx.Broker.ClaimManyAsync(org, "q", 2)).Select(j => j.Id));
    }

    [Fact]
    public async Task Priority_change_is_validated_and_refused_once_claimed()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        await InvalidAsync("priority", () => fx.Broker.SetPriorityAsync(org, id, 101));
        await InvalidAsync("priority", () => fx.Broker.SetPriorityAsync(org, id, -101));
        await fx.Broker.ClaimOneAsync(org);
        await RefusedAsync(BrokerErrorCode.Conflict, () => fx.Broker.SetPriorityAsync(org, id, 1));
        Assert.Equal(0, (await fx.Broker.JobAsync(org, id)).Priority);
    }

    [Fact]
    public async Task Dead_letter_retry_by_ids_skips_jobs_not_dead_lettered()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var dead1 = await DeadLetterAsync(fx, org);
        var dead2 = await DeadLetterAsync(fx, org);
        var dead3 = await DeadLetterAsync(fx, org);
        var pending = await fx.Broker.AddJobAsync(org);

        var retried = await fx.Broker.RetryDeadLetterAsync(org, new DeadLetterRetry { JobIds = [dead3, pending, dead1, dead1, Guid.NewGuid()] });
        Assert.Equal([dead3, dead1], retried);
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, dead1)).Status);
        Assert.Equal(JobStatus.DeadLetter, (await fx.Broker.JobAsync(org, dead2)).Status);
        Assert.Equal(0, (await fx.Broker.JobAsync(org, dead3)).RetryCount);
    }

    [Fact]
    public async Task Dead_letter_retry_by_queue_takes_the_oldest_up_to_the_limit()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var a1 = await DeadLetterAsync(fx, org, "a");
        var b1 = await DeadLetterAsync(fx, org, "b");
        var a2 = await DeadLetterAsync(fx, org, "a");
        var a3 = await DeadLetterAsync(fx, org, "a");

        Assert.Equal([a1, a2], await fx.Broker.RetryDeadLetterAsync(org, new DeadLetterRetry { QueueName = "a", Limit = 2 }));
        Assert.Equal([a3], await fx.Broker.RetryDeadLetterAsync(org, new DeadLetterRetry { QueueName = "a" }));
        Assert.Empty(await fx.Broker.RetryDeadLetterAsync(org, new DeadLetterRetry { QueueName = "a" }));
        Assert.Equal(JobStatus.DeadLetter, (await fx.Broker.JobAsync(org, b1)).Status);
        Assert.Equal([b1], await fx.Broker.RetryDeadLetterAsync(org, new DeadLetterRetry()));
        await InvalidAsync("limit", () => fx.Broker.RetryDeadLetterAsync(org, new DeadLetterRetry { Limit = 0 }));
        await InvalidAsync("limit", () => fx.Broker.RetryDeadLetterAsync(org, new DeadLetterRetry { Limit = 101 }));
        Assert.Equal(4, (await fx.Broker.ClaimManyAsync(org, "a", 10)).Count + (await fx.Broker.ClaimManyAsync(org, "b", 10)).Count);
    }

    [Fact]
    public async Task Purge_by_queue_removes_only_that_queue_and_frees_keys()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var a = await DeadLetterAsync(fx, org, "a", key: "ka");
        var b = await DeadLetterAsync(fx, org, "b", key: "kb");
        var pendingInA = await fx.Broker.AddJobAsync(org, "a");

        Assert.Equal(1, await fx.Broker.PurgeDeadLetterAsync(org, new DeadLetterPurge { QueueName = "a" }));
        Assert.Null(await fx.Broker.GetJobAsync(org, a));
        Assert.NotNull(await fx.Broker.GetJobAsync(org, b));
        Assert.NotNull(await fx.Broker.GetJobAsync(org, pendingInA));
        Assert.Empty(await fx.Broker.GetStatusesAsync(org, [a]));
        Assert.DoesNotContain(await fx.Broker.ListJobsAsync(org, new JobQuery()), j => j.Id == a);
        var counts = await fx.Broker.GetJobCountsAsync(org);
        Assert.Equal((1, 1), (counts.DeadLetter, counts.Pending));

        Assert.True((await fx.Broker.EnqueueAsync(org, Job("a", key: "ka"))).Created);
        Assert.False((await fx.Broker.EnqueueAsync(org, Job("b", key: "kb"))).Created);

        // Purged for good: replay removes it again.
        await fx.CrashAsync();
        Assert.Null(await fx.Broker.GetJobAsync(org, a));
    }

    [Fact]
    public async Task Purge_by_ids_and_by_age()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var old1 = await DeadLetterAsync(fx, org);
        var old2 = await DeadLetterAsync(fx, org);
        await fx.AdvanceAsync(TimeSpan.FromHours(1));
        var cutoff = fx.Clock.GetUtcNow();
        var young = await DeadLetterAsync(fx, org);
        var pending = await fx.Broker.AddJobAsync(org);

        Assert.Equal(1, await fx.Broker.PurgeDeadLetterAsync(org, new DeadLetterPurge { JobIds = [old2, pending] }));
        Assert.Null(await fx.Broker.GetJobAsync(org, old2));
        Assert.NotNull(await fx.Broker.GetJobAsync(org, pending));

        Assert.Equal(1, await fx.Broker.PurgeDeadLetterAsync(org, new DeadLetterPurge { OlderThan = cutoff }));
        Assert.Null(await fx.Broker.GetJobAsync(org, old1));
        Assert.NotNull(await fx.Broker.GetJobAsync(org, young));
        await InvalidAsync("limit", () => fx.Broker.PurgeDeadLetterAsync(org, new DeadLetterPurge { Limit = 0 }));
    }

    [Fact]
    public async Task Purge_limit_takes_the_oldest()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await DeadLetterAsync(fx, org));
        }

        Assert.Equal(3, await fx.Broker.PurgeDeadLetterAsync(org, new DeadLetterPurge { Limit = 3 }));
        Assert.Equal([ids[3]], (await fx.Broker.ListJobsAsync(org, new JobQuery())).Select(j => j.Id));
    }
}

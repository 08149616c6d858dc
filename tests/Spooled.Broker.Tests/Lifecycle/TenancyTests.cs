using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

/// <summary>An id of another organization behaves exactly like an id that does not exist.</summary>
public sealed class TenancyTests
{
    private static async Task<(BrokerFixture Fx, string A, string B)> TwoOrgsAsync()
    {
        var fx = new BrokerFixture();
        return (fx, await fx.CreateOrgAsync("org-a"), await fx.CreateOrgAsync("org-b"));
    }

    [Fact]
    public async Task Job_operations_on_a_foreign_id_answer_as_for_a_missing_one()
    {
        var (fx, a, b) = await TwoOrgsAsync();
        await using var _ = fx;
        var theirs = await fx.Broker.AddJobAsync(b);
        var missing = Guid.NewGuid();

        foreach (var id in new[] { theirs, missing })
        {
            Assert.Null(await fx.Broker.GetJobAsync(a, id));
            await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.CancelAsync(a, id));
            await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.RetryAsync(a, id));
            await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.SetPriorityAsync(a, id, 5));
            await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.ReportProgressAsync(a, id, "w1", null, Json("{}")));
            await InvalidAsync("parent_job_id", () => fx.Broker.EnqueueAsync(a, new JobSpec { QueueName = "q", Payload = Json("{}"), ParentJobId = id }));
        }

        var job = await fx.Broker.JobAsync(b, theirs);
        Assert.Equal((JobStatus.Pending, 0), (job.Status, job.Priority));
    }

    [Fact]
    public async Task Foreign_jobs_are_left_out_of_status_lists_counts_and_pages()
    {
        var (fx, a, b) = await TwoOrgsAsync();
        await using var _ = fx;
        var mine = await fx.Broker.AddJobAsync(a);
        var theirs = await fx.Broker.AddJobAsync(b);
        await fx.Broker.AddJobAsync(b, "other");

        Assert.Equal([mine], (await fx.Broker.GetStatusesAsync(a, [theirs, mine, Guid.NewGuid()])).Select(s => s.Id));
        Assert.Equal([mine], (await fx.Broker.ListJobsAsync(a, new JobQuery())).Select(s => s.Id));
        Assert.Equal([mine], (await fx.Broker.ListJobsAsync(a, new JobQuery { OrderBy = JobOrder.Priority })).Select(s => s.Id));
        Assert.Equal(1, (await fx.Broker.GetJobCountsAsync(a)).Total);
        Assert.Equal(2, (await fx.Broker.GetJobCountsAsync(b)).Total);
        Assert.Equal(["q"], (await fx.Broker.ListQueuesAsync(a)).Select(q => q.QueueName));
        Assert.Equal(1, (await fx.Broker.GetQueueStatsAsync(a, "q")).PendingJobs);
    }

    [Fact]
    public async Task Same_queue_name_in_two_organizations_is_two_queues()
    {
        var (fx, a, b) = await TwoOrgsAsync();
        await using var _ = fx;
        var theirs = await fx.Broker.AddJobAsync(b);
        await fx.Broker.PauseQueueAsync(a, "q", null);
        await fx.Broker.ConfigureQueueAsync(a, "q", new QueueConfigUpdate { MaxRetries = 9 });

        Assert.Empty(await fx.Broker.ClaimManyAsync(a, "q", 10));
        Assert.True((await fx.Broker.GetQueueAsync(b, "q")).Enabled);
        Assert.Equal(3, (await fx.Broker.GetQueueAsync(b, "q")).MaxRetries);
        Assert.NotEqual((await fx.Broker.GetQueueAsync(a, "q")).Id, (await fx.Broker.GetQueueAsync(b, "q")).Id);
        Assert.Equal(theirs, (await fx.Broker.ClaimOneAsync(b)).Id);

        await fx.Broker.ResumeQueueAsync(a, "q");
        Assert.Empty(await fx.Broker.ClaimManyAsync(a, "q", 10));
    }

    [Fact]
    public async Task Dead_letter_retry_and_purge_ignore_foreign_ids()
    {
        var (fx, a, b) = await TwoOrgsAsync();
        await using var _ = fx;
        var theirs = (await fx.Broker.EnqueueAsync(b, new JobSpec { QueueName = "q", Payload = Json("{}"), MaxRetries = 0 })).Id;
        var claim = await fx.Broker.ClaimOneAsync(b);
        await fx.Broker.FailAsync(b, theirs, "w1", claim.LeaseId, "fatal");

        Assert.Empty(await fx.Broker.RetryDeadLetterAsync(a, new DeadLetterRetry { JobIds = [theirs] }));
        Assert.Empty(await fx.Broker.RetryDeadLetterAsync(a, new DeadLetterRetry()));
        Assert.Equal(0, await fx.Broker.PurgeDeadLetterAsync(a, new DeadLetterPurge { JobIds = [theirs] }));
        Assert.Equal(0, await fx.Broker.PurgeDeadLetterAsync(a, new DeadLetterPurge()));
        Assert.Equal(JobStatus.DeadLetter, (await fx.Broker.JobAsync(b, theirs)).Status);
    }

    [Fact]
    public async Task Workers_and_deregistration_are_per_organization()
    {
        var (fx, a, b) = await TwoOrgsAsync();
        await using var _ = fx;
        await fx.Broker.RegisterWorkerAsync(b, new WorkerRegistration { WorkerId = "w1", QueueName = "q", Hostname = "hb" });
        var theirs = await fx.Broker.AddJobAsync(b);
        await fx.Broker.ClaimOneAsync(b, worker: "w1");

        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.GetWorkerAsync(a, "w1"));
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.DeregisterWorkerAsync(a, "w1"));
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.WorkerHeartbeatAsync(a, "w1", 0, null, null));
        Assert.Empty(await fx.Broker.ListWorkersAsync(a));

        // Organization A's worker of the same id releases only A's jobs.
        await fx.Broker.RegisterWorkerAsync(a, new WorkerRegistration { WorkerId = "w1", QueueName = "q", Hostname = "ha" });
        var mine = await fx.Broker.AddJobAsync(a);
        await fx.Broker.ClaimOneAsync(a, worker: "w1");
        Assert.Equal(1, await fx.Broker.DeregisterWorkerAsync(a, "w1"));
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(a, mine)).Status);
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(b, theirs)).Status);
        Assert.Equal("hb", (await fx.Broker.GetWorkerAsync(b, "w1")).Hostname);
        Assert.Equal(WorkerStatus.Healthy, (await fx.Broker.GetWorkerAsync(b, "w1")).Status);
    }

    [Fact]
    public async Task Api_keys_of_another_organization_are_not_found()
    {
        var (fx, a, b) = await TwoOrgsAsync();
        await using var _ = fx;
        var key = await fx.Broker.CreateApiKeyAsync(b, "ci");

        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.GetApiKeyAsync(a, key.Id));
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.RevokeApiKeyAsync(a, key.Id));
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.UpdateApiKeyAsync(a, key.Id, new ApiKeyUpdate { Name = "x" }));
        Assert.DoesNotContain(await fx.Broker.ListApiKeysAsync(a), k => k.Id == key.Id);
        Assert.Equal(b, fx.Broker.Authenticate(key.Key)!.OrganizationId);
    }
}

using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class QueueTests
{
    [Fact]
    public async Task First_job_creates_the_queue_with_default_configuration()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        Assert.Empty(await fx.Broker.ListQueuesAsync(org));
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.GetQueueAsync(org, "emails"));

        await fx.AdvanceAsync(TimeSpan.FromSeconds(3));
        await fx.Broker.AddJobAsync(org, "emails");
        await fx.Broker.AddJobAsync(org, "billing");
        await fx.Broker.AddJobAsync(org, "emails");

        var queues = await fx.Broker.ListQueuesAsync(org);
        Assert.Equal(["billing", "emails"], queues.Select(q => q.QueueName));
        var emails = queues[1];
        Assert.Equal(org, emails.OrganizationId);
        Assert.Equal((3, 300, true, 60, 3600, false), (emails.MaxRetries, emails.DefaultTimeout, emails.Enabled, emails.BackoffBaseSeconds, emails.BackoffMaxSeconds, emails.BackoffJitter));
        Assert.Null(emails.RateLimit);
        Assert.Null(emails.PausedAt);
        Assert.Equal(BrokerFixture.Epoch.AddSeconds(3), emails.CreatedAt);
        Assert.Equal(emails.Id, (await fx.Broker.GetQueueAsync(org, "emails")).Id);
    }

    [Fact]
    public async Task Configuring_creates_the_queue_and_an_update_keeps_unspecified_fields()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { RateLimit = 50, DefaultTimeout = 77, Settings = Json("{\"a\":1}"), BackoffBaseSeconds = 5 });
        var pause = await fx.Broker.PauseQueueAsync(org, "q", "deploy");

        await fx.AdvanceAsync(TimeSpan.FromSeconds(10));
        var updated = await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { MaxRetries = 5 });
        Assert.Equal(5, updated.MaxRetries);
        Assert.Equal(77, updated.DefaultTimeout);
        Assert.Equal(50, updated.RateLimit);
        Assert.Equal(5, updated.BackoffBaseSeconds);
        Assert.Equal("{\"a\":1}", System.Text.Encoding.UTF8.GetString(updated.Settings));
        Assert.False(updated.Enabled);
        Assert.Equal("deploy", updated.PausedReason);
        Assert.Equal(pause.PausedAt, updated.PausedAt);
        Assert.Equal(BrokerFixture.Epoch.AddSeconds(10), updated.UpdatedAt);

        var cleared = await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { ClearRateLimit = true });
        Assert.Null(cleared.RateLimit);
        Assert.Equal(5, cleared.MaxRetries);

        // The same configuration comes back from the log.
        await fx.CrashAsync();
        var replayed = await fx.Broker.GetQueueAsync(org, "q");
        Assert.Equal((5, 77, false, "deploy", (int?)null), (replayed.MaxRetries, replayed.DefaultTimeout, replayed.Enabled, replayed.PausedReason, replayed.RateLimit));
    }

    [Fact]
    public async Task Configuration_is_validated()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await InvalidAsync("max_retries", () => fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { MaxRetries = 101 }));
        await InvalidAsync("default_timeout", () => fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { DefaultTimeout = 0 }));
        await InvalidAsync("rate_limit", () => fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { RateLimit = -1 }));
        await InvalidAsync("queue_name", () => fx.Broker.ConfigureQueueAsync(org, "bad name", new QueueConfigUpdate { MaxRetries = 1 }));
        Assert.Empty(await fx.Broker.ListQueuesAsync(org));
    }

    [Fact]
    public async Task Pause_records_reason_and_time_and_resume_reports_the_paused_duration()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.AddJobAsync(org);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(30));

        var paused = await fx.Broker.PauseQueueAsync(org, "q", "incident 42");
        Assert.Equal(new QueuePauseState("q", true, BrokerFixture.Epoch.AddSeconds(30), "incident 42", 0), paused);
        var view = await fx.Broker.GetQueueAsync(org, "q");
        Assert.False(view.Enabled);
        Assert.Equal(BrokerFixture.Epoch.AddSeconds(30), view.PausedAt);
        Assert.Equal("incident 42", view.PausedReason);
        Assert.True((await fx.Broker.GetQueueStatsAsync(org, "q")).Paused);

        await fx.AdvanceAsync(TimeSpan.FromSeconds(90));
        var resumed = await fx.Broker.ResumeQueueAsync(org, "q");
        Assert.Equal(new QueuePauseState("q", false, null, null, 90), resumed);
        view = await fx.Broker.GetQueueAsync(org, "q");
        Assert.True(view.Enabled);
        Assert.Null(view.PausedAt);
        Assert.Null(view.PausedReason);

        Assert.Equal(0, (await fx.Broker.ResumeQueueAsync(org, "q")).PausedDurationSeconds);
        Assert.Single(await fx.Broker.ClaimManyAsync(org, "q", 1));
    }

    [Fact]
    public async Task Enabled_flag_pauses_and_resumes_and_a_pause_survives_a_crash()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.AddJobAsync(org);
        Assert.False((await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { Enabled = false })).Enabled);

        await fx.CrashAsync();
        Assert.False((await fx.Broker.GetQueueAsync(org, "q")).Enabled);
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 1));

        Assert.True((await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { Enabled = true })).Enabled);
        Assert.Single(await fx.Broker.ClaimManyAsync(org, "q", 1));
    }

    [Fact]
    public async Task Stats_report_live_counts_recent_outcomes_job_age_and_workers()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        foreach (var (id, queue) in new[] { ("w1", "q"), ("w2", "q"), ("w3", "other") })
        {
            await fx.Broker.RegisterWorkerAsync(org, new WorkerRegistration { WorkerId = id, QueueName = queue, Hostname = "h" });
        }

        var j3 = Guid.Empty;
        for (var i = 0; i < 4; i++)
        {
            var id = await fx.Broker.AddJobAsync(org);
            j3 = i == 2 ? id : j3;
        }

        await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ScheduledAt = BrokerFixture.Epoch.AddHours(1) });
        var first = await fx.Broker.ClaimManyAsync(org, "q", 2);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(2));
        await fx.Broker.CompleteAsync(org, first[0].Id, "w1", first[0].LeaseId, null);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(2));
        await fx.Broker.CompleteAsync(org, first[1].Id, "w1", first[1].LeaseId, null);
        var third = await fx.Broker.ClaimOneAsync(org);
        Assert.Equal(j3, third.Id);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(1));
        await fx.Broker.FailAsync(org, j3, "w1", third.LeaseId, "boom");
        await fx.Broker.ClaimOneAsync(org, leaseSeconds: 600);
        await fx.Broker.AddJobAsync(org);

        // At 65 s the failed job is due again; it was enqueued at 0, the oldest waiting job.
        await fx.AdvanceAsync(TimeSpan.FromSeconds(60));
        var stats = await fx.Broker.GetQueueStatsAsync(org, "q");
        Assert.Equal(new QueueStats("q", 2, 1, 1, 2, 1, 3000, 65, 2, false), stats);

        await fx.Broker.DeregisterWorkerAsync(org, "w2");
        Assert.Equal(1, (await fx.Broker.GetQueueStatsAsync(org, "q")).ActiveWorkers);

        await fx.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(0, (await fx.Broker.GetQueueStatsAsync(org, "q")).ActiveWorkers);

        // The held job's lease runs out within the hour, so its failed attempt ages out with the rest.
        await fx.AdvanceAsync(TimeSpan.FromMinutes(10));
        await fx.AdvanceAsync(TimeSpan.FromHours(24));
        stats = await fx.Broker.GetQueueStatsAsync(org, "q");
        Assert.Equal((0, 0), (stats.CompletedJobs24h, stats.FailedJobs24h));
        Assert.Null(stats.AverageProcessingTimeMs);
    }

    [Fact]
    public async Task Stats_of_an_idle_queue_have_no_age_or_average()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { MaxRetries = 1 });
        Assert.Equal(new QueueStats("q", 0, 0, 0, 0, 0, null, null, 0, false), await fx.Broker.GetQueueStatsAsync(org, "q"));
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.GetQueueStatsAsync(org, "nope"));
    }

    [Fact]
    public async Task Delete_is_refused_while_the_queue_has_active_jobs()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { MaxRetries = 9 });
        var scheduled = (await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ScheduledAt = BrokerFixture.Epoch.AddHours(1) })).Id;
        var pending = await fx.Broker.AddJobAsync(org);

        await RefusedAsync(BrokerErrorCode.Conflict, () => fx.Broker.DeleteQueueAsync(org, "q"));
        await fx.Broker.CancelAsync(org, scheduled);
        await RefusedAsync(BrokerErrorCode.Conflict, () => fx.Broker.DeleteQueueAsync(org, "q"));
        var claim = await fx.Broker.ClaimOneAsync(org);
        await RefusedAsync(BrokerErrorCode.Conflict, () => fx.Broker.DeleteQueueAsync(org, "q"));
        Assert.Equal(9, (await fx.Broker.GetQueueAsync(org, "q")).MaxRetries);

        await fx.Broker.CompleteAsync(org, pending, "w1", claim.LeaseId, null);
        await fx.Broker.DeleteQueueAsync(org, "q");

        // Its finished jobs stay, so the queue is still listed, with its configuration reset.
        Assert.Equal(3, (await fx.Broker.GetQueueAsync(org, "q")).MaxRetries);
        Assert.Equal(JobStatus.Completed, (await fx.Broker.JobAsync(org, pending)).Status);
    }

    [Fact]
    public async Task Deleting_a_queue_without_jobs_removes_it()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { MaxRetries = 9 });
        await fx.Broker.DeleteQueueAsync(org, "q");

        Assert.Empty(await fx.Broker.ListQueuesAsync(org));
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.GetQueueAsync(org, "q"));
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.DeleteQueueAsync(org, "q"));
        await fx.CrashAsync();
        Assert.Empty(await fx.Broker.ListQueuesAsync(org));
    }
}

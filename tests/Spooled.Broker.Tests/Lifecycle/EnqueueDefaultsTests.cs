using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class EnqueueDefaultsTests
{
    [Fact]
    public async Task Without_queue_configuration_jobs_get_3_retries_and_300_seconds()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);

        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(3, job.MaxRetries);
        Assert.Equal(300, job.TimeoutSeconds);
        Assert.Equal(0, job.Priority);
        Assert.Equal(0, job.RetryCount);
        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(BrokerFixture.Epoch, job.CreatedAt);
    }

    [Fact]
    public async Task Queue_configuration_supplies_the_defaults_and_the_job_can_override_them()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { MaxRetries = 7, DefaultTimeout = 42 });

        var defaulted = await fx.Broker.JobAsync(org, await fx.Broker.AddJobAsync(org));
        Assert.Equal(7, defaulted.MaxRetries);
        Assert.Equal(42, defaulted.TimeoutSeconds);

        var explicitly = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), MaxRetries = 1, TimeoutSeconds = 9 });
        var overridden = await fx.Broker.JobAsync(org, explicitly.Id);
        Assert.Equal(1, overridden.MaxRetries);
        Assert.Equal(9, overridden.TimeoutSeconds);

        // Another queue of the same organization keeps the broker's defaults.
        var elsewhere = await fx.Broker.JobAsync(org, await fx.Broker.AddJobAsync(org, "other"));
        Assert.Equal(3, elsewhere.MaxRetries);
        Assert.Equal(300, elsewhere.TimeoutSeconds);
    }

    [Fact]
    public async Task Changing_the_queue_defaults_leaves_existing_jobs_alone()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var before = await fx.Broker.AddJobAsync(org);
        await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { MaxRetries = 9 });
        var after = await fx.Broker.AddJobAsync(org);

        Assert.Equal(3, (await fx.Broker.JobAsync(org, before)).MaxRetries);
        Assert.Equal(9, (await fx.Broker.JobAsync(org, after)).MaxRetries);
    }

    [Fact]
    public async Task Future_scheduled_at_makes_the_job_scheduled_until_the_clock_reaches_it()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var due = BrokerFixture.Epoch.AddMinutes(5);
        var result = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ScheduledAt = due });

        var job = await fx.Broker.JobAsync(org, result.Id);
        Assert.Equal(JobStatus.Scheduled, job.Status);
        Assert.Equal(due, job.ScheduledAt);
        Assert.Equal(1, (await fx.Broker.GetJobCountsAsync(org)).Scheduled);
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 10));

        await fx.AdvanceAsync(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(JobStatus.Scheduled, (await fx.Broker.JobAsync(org, result.Id)).Status);
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 10));

        await fx.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, result.Id)).Status);
        var counts = await fx.Broker.GetJobCountsAsync(org);
        Assert.Equal(0, counts.Scheduled);
        Assert.Equal(1, counts.Pending);
        Assert.Equal(result.Id, (await fx.Broker.ClaimOneAsync(org)).Id);
    }

    [Fact]
    public async Task Past_or_present_scheduled_at_is_pending_at_once()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var past = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ScheduledAt = BrokerFixture.Epoch.AddHours(-1) });
        var now = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ScheduledAt = BrokerFixture.Epoch });

        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, past.Id)).Status);
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, now.Id)).Status);
        Assert.Equal(2, (await fx.Broker.ClaimManyAsync(org, "q", 10)).Count);
    }

    [Fact]
    public async Task Scheduled_job_is_promoted_after_a_restart_too()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var result = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ScheduledAt = BrokerFixture.Epoch.AddMinutes(1) });

        await fx.CrashAsync();
        Assert.Equal(JobStatus.Scheduled, (await fx.Broker.JobAsync(org, result.Id)).Status);
        await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(result.Id, (await fx.Broker.ClaimOneAsync(org)).Id);
    }
}

using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class FailureBackoffTests
{
    /// <summary>Fails the job once per delay, checking each retry waits exactly that long.</summary>
    private static async Task AssertDelaysAsync(BrokerFixture fx, string org, Guid id, int[] delays)
    {
        for (var attempt = 0; attempt < delays.Length; attempt++)
        {
            var claim = await fx.Broker.ClaimOneAsync(org);
            Assert.Equal(id, claim.Id);
            Assert.Equal(attempt, claim.RetryCount);
            var now = fx.Clock.GetUtcNow();
            var outcome = await fx.Broker.FailAsync(org, id, "w1", claim.LeaseId, $"boom {attempt}");

            Assert.True(outcome.WillRetry);
            Assert.Equal(attempt + 1, outcome.RetryCount);
            Assert.Equal(now.AddSeconds(delays[attempt]), outcome.NextAttemptAt);
            var job = await fx.Broker.JobAsync(org, id);
            Assert.Equal(JobStatus.Pending, job.Status);
            Assert.Equal($"boom {attempt}", job.LastError);
            Assert.Equal(attempt + 1, job.RetryCount);
            Assert.Null(job.LeaseId);

            await fx.AdvanceAsync(TimeSpan.FromSeconds(delays[attempt] - 1));
            Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 1));
            await fx.AdvanceAsync(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Default_backoff_doubles_from_60_seconds_up_to_an_hour()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org, maxRetries: 20);
        await AssertDelaysAsync(fx, org, id, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    [Fact]
    public async Task Queue_backoff_base_and_cap_are_configurable()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { BackoffBaseSeconds = 10, BackoffMaxSeconds = 25 });
        var id = await fx.Broker.AddJobAsync(org, maxRetries: 20);
        await AssertDelaysAsync(fx, org, id, [10, 20, 25, 25]);
    }

    [Fact]
    public async Task Backoff_configuration_is_validated()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await InvalidAsync("backoff_base_secs", () => fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { BackoffBaseSeconds = 0 }));
        await InvalidAsync("backoff_max_secs", () => fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { BackoffMaxSeconds = 604_801 }));
        await InvalidAsync("backoff_max_secs", () => fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { BackoffBaseSeconds = 100, BackoffMaxSeconds = 50 }));

        // The cap is checked against the base already configured.
        await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { BackoffBaseSeconds = 100 });
        await InvalidAsync("backoff_max_secs", () => fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { BackoffMaxSeconds = 99 }));
        Assert.Equal((100, 3600), await BackoffOf(fx, org));
    }

    private static async Task<(int Base, int Max)> BackoffOf(BrokerFixture fx, string org)
    {
        var queue = await fx.Broker.GetQueueAsync(org, "q");
        return (queue.BackoffBaseSeconds, queue.BackoffMaxSeconds);
    }

    [Fact]
    public async Task Jitter_keeps_each_delay_between_half_and_all_of_it()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { BackoffBaseSeconds = 100, BackoffMaxSeconds = 1000 });
        await fx.Broker.ConfigureQueueAsync(org, "q", new QueueConfigUpdate { BackoffJitter = true });
        Assert.Equal((100, 1000), await BackoffOf(fx, org));
        await fx.Broker.EnqueueBulkAsync(org, new BulkEnqueueRequest { QueueName = "q", Jobs = [.. Enumerable.Range(0, 40).Select(_ => Job())] });

        var now = fx.Clock.GetUtcNow();
        var delays = new List<TimeSpan>();
        foreach (var claim in await fx.Broker.ClaimManyAsync(org, "q", 40))
        {
            var outcome = await fx.Broker.FailAsync(org, claim.Id, "w1", claim.LeaseId, "boom");
            delays.Add(outcome.NextAttemptAt!.Value - now);
            Assert.Equal(outcome.NextAttemptAt, (await fx.Broker.JobAsync(org, claim.Id)).ScheduledAt);
        }

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(100)));
        Assert.True(delays.Distinct().Count() > 1, "jitter produced one delay for 40 failures");

        // Jitter applies to the doubled delay as well: the second attempt waits 100..200 s.
        await fx.AdvanceAsync(TimeSpan.FromSeconds(100));
        var again = await fx.Broker.ClaimOneAsync(org);
        var second = await fx.Broker.FailAsync(org, again.Id, "w1", again.LeaseId, "boom");
        Assert.InRange(second.NextAttemptAt!.Value - fx.Clock.GetUtcNow(), TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(200));
    }

    [Fact]
    public async Task Failure_with_no_retries_left_dead_letters()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org, maxRetries: 0);
        var claim = await fx.Broker.ClaimOneAsync(org);
        var outcome = await fx.Broker.FailAsync(org, id, "w1", claim.LeaseId, "fatal");

        Assert.False(outcome.WillRetry);
        Assert.Equal(1, outcome.RetryCount);
        Assert.Null(outcome.NextAttemptAt);
        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(JobStatus.DeadLetter, job.Status);
        Assert.Equal("fatal", job.LastError);
        Assert.Equal(1, job.RetryCount);
        Assert.Equal(1, (await fx.Broker.GetJobCountsAsync(org)).DeadLetter);

        await fx.AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 10));
    }

    [Fact]
    public async Task Retry_count_counts_failures_and_dead_letters_at_max_retries()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        Assert.Equal(3, (await fx.Broker.JobAsync(org, id)).MaxRetries);

        for (var failure = 1; failure <= 4; failure++)
        {
            var claim = await fx.Broker.ClaimOneAsync(org);
            var outcome = await fx.Broker.FailAsync(org, id, "w1", claim.LeaseId, "boom");
            Assert.Equal(failure, outcome.RetryCount);
            Assert.Equal(failure <= 3, outcome.WillRetry);
            await fx.AdvanceAsync(TimeSpan.FromHours(1));
        }

        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(JobStatus.DeadLetter, job.Status);
        Assert.Equal(4, job.RetryCount);
    }

    [Fact]
    public async Task Fail_without_a_lease_id_by_the_holder_is_accepted()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        await fx.Broker.ClaimOneAsync(org, worker: "w7");
        var outcome = await fx.Broker.FailAsync(org, id, "w7", null, "boom");
        Assert.True(outcome.WillRetry);
        Assert.Equal("boom", (await fx.Broker.JobAsync(org, id)).LastError);
    }
}

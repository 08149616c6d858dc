using System.Text;
using Spooled.Broker.Tests.Support;

namespace Spooled.Broker.Tests;

public sealed class LongPollTests
{
    private static readonly byte[] s_payload = Encoding.UTF8.GetBytes("{}");

    private static ClaimRequest Wait(int seconds, int limit = 1) => new() { QueueName = "q", WorkerId = "w", Limit = limit, WaitSeconds = seconds };

    [Fact]
    public async Task A_waiting_claim_is_answered_by_the_enqueue_that_makes_a_job_claimable()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var claim = fx.Broker.ClaimAsync(org, Wait(10));
        await fx.Broker.RunTimersAsync(); // A full engine turn has passed: the claim is parked, not answered.
        Assert.False(claim.IsCompleted);

        var job = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = s_payload });
        var claimed = await claim.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(job.Id, Assert.Single(claimed).Id);
        Assert.Equal(JobStatus.Processing, (await fx.Broker.GetJobAsync(org, job.Id))!.Status);
    }

    [Fact]
    public async Task Waiting_claims_are_served_first_come_first_served()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var first = fx.Broker.ClaimAsync(org, Wait(10));
        var second = fx.Broker.ClaimAsync(org, Wait(10));
        await fx.Broker.RunTimersAsync();
        var job = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = s_payload });
        Assert.Equal(job.Id, Assert.Single(await first.WaitAsync(TimeSpan.FromSeconds(10))).Id);
        await fx.Broker.RunTimersAsync();
        Assert.False(second.IsCompleted);
    }

    [Fact]
    public async Task A_waiting_claim_answers_empty_at_its_deadline()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var claim = fx.Broker.ClaimAsync(org, Wait(5));
        await fx.Broker.RunTimersAsync(); // The claim is parked at the current time, before the clock moves.
        await fx.AdvanceAsync(TimeSpan.FromSeconds(4));
        Assert.False(claim.IsCompleted);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Empty(await claim.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_paused_queue_keeps_waiters_waiting_until_it_resumes()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.PauseQueueAsync(org, "q", "maintenance");
        await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = s_payload });
        var claim = fx.Broker.ClaimAsync(org, Wait(10));
        await fx.Broker.RunTimersAsync();
        Assert.False(claim.IsCompleted);
        await fx.Broker.ResumeQueueAsync(org, "q");
        Assert.Single(await claim.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_cancelled_waiter_is_dropped_and_takes_no_job()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        using var cancel = new CancellationTokenSource();
        var claim = fx.Broker.ClaimAsync(org, Wait(10), cancel.Token);
        await fx.Broker.RunTimersAsync();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => claim.WaitAsync(TimeSpan.FromSeconds(10)));
        var job = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = s_payload });
        Assert.Equal(JobStatus.Pending, (await fx.Broker.GetJobAsync(org, job.Id))!.Status);
    }

    [Fact]
    public async Task A_job_that_becomes_due_wakes_a_waiting_claim()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var job = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = s_payload, ScheduledAt = fx.Clock.GetUtcNow().AddSeconds(3) });
        var claim = fx.Broker.ClaimAsync(org, Wait(10));
        await fx.Broker.RunTimersAsync();
        Assert.False(claim.IsCompleted);
        fx.Clock.Advance(TimeSpan.FromSeconds(3)); // The engine's own timer fires: no request needed.
        Assert.Equal(job.Id, Assert.Single(await claim.WaitAsync(TimeSpan.FromSeconds(10))).Id);
    }

    [Fact]
    public async Task StopWaiting_answers_waiters_empty_and_later_claims_at_once()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var claim = fx.Broker.ClaimAsync(org, Wait(30));
        await fx.Broker.RunTimersAsync();
        fx.Broker.StopWaiting();
        Assert.Empty(await claim.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(await fx.Broker.ClaimAsync(org, Wait(30)).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Disposing_the_broker_answers_waiters_empty()
    {
        var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var claim = fx.Broker.ClaimAsync(org, Wait(30));
        await fx.Broker.RunTimersAsync();
        await fx.DisposeAsync();
        Assert.Empty(await claim.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}

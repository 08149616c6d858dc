using System.Text;
using Spooled.Broker.Events;
using Spooled.Broker.Tests.Support;

namespace Spooled.Broker.Tests.Events;

/// <summary>
/// The broker's event stream: every durable change of a subscribed organization becomes an event, in
/// the order of the log; nothing another organization does, nothing the log did not keep, and
/// nothing at all while nobody listens.
/// </summary>
public sealed class EventTests
{
    private static readonly byte[] s_payload = Encoding.UTF8.GetBytes("{\"n\":1}");
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static JobSpec Job(string queue = "q", int priority = 0) => new() { QueueName = queue, Payload = s_payload, Priority = priority };

    private static ClaimRequest Claim(string queue = "q") => new() { QueueName = queue, WorkerId = "w", Limit = 1 };

    private static async Task<List<BrokerEvent>> ReadAsync(EventSubscription subscription, int count)
    {
        var events = new List<BrokerEvent>();
        using var timeout = new CancellationTokenSource(s_wait);
        while (events.Count < count)
        {
            events.Add(await subscription.Reader.ReadAsync(timeout.Token));
        }

        return events;
    }

    private static string Describe(BrokerEvent e) => e.Kind switch
    {
        BrokerEventKind.JobStatusChange => $"status {e.OldStatus?.ToWire()}->{e.NewStatus?.ToWire()}",
        BrokerEventKind.JobFailed => $"failed retry={e.RetryCount} will_retry={e.WillRetry} error={e.Error}",
        _ => e.Kind.ToString(),
    };

    [Fact]
    public async Task A_jobs_life_arrives_as_events_in_order_after_each_change()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        using var subscription = fx.Broker.Events.Subscribe(org);

        var created = await fx.Broker.EnqueueAsync(org, Job(priority: 7));
        var claimed = Assert.Single(await fx.Broker.ClaimAsync(org, Claim()));
        fx.Clock.Advance(TimeSpan.FromMilliseconds(1500));
        await fx.Broker.CompleteAsync(org, created.Id, "w", claimed.LeaseId, null);

        var events = await ReadAsync(subscription, 5);
        Assert.Equal(
            ["JobCreated", "status ->pending", "status pending->processing", "status processing->completed", "JobCompleted"],
            events.ConvertAll(Describe));
        Assert.All(events, e =>
        {
            Assert.Equal(created.Id, e.JobId);
            Assert.Equal("q", e.QueueName);
            Assert.Equal(org, e.OrgId);
        });
        Assert.Equal(7, events[0].Priority);
        Assert.Equal(1500, events[4].DurationMs);
        Assert.Equal(BrokerFixture.Epoch, events[0].Timestamp);
        Assert.Equal(BrokerFixture.Epoch.AddMilliseconds(1500), events[4].Timestamp);
        for (var i = 1; i < events.Count; i++)
        {
            Assert.Equal(events[i - 1].Sequence + 1, events[i].Sequence);
        }
    }

    [Fact]
    public async Task Failures_report_the_error_the_attempt_count_and_whether_the_job_is_retried()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var job = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = s_payload, MaxRetries = 1 });
        using var subscription = fx.Broker.Events.Subscribe(org, e => e.Kind == BrokerEventKind.JobFailed || e.Kind == BrokerEventKind.JobStatusChange);

        var first = Assert.Single(await fx.Broker.ClaimAsync(org, Claim()));
        await fx.Broker.FailAsync(org, job.Id, "w", first.LeaseId, "boom");
        fx.Clock.Advance(TimeSpan.FromHours(1)); // Past the backoff.
        await fx.Broker.RunTimersAsync();
        var second = Assert.Single(await fx.Broker.ClaimAsync(org, Claim()));
        await fx.Broker.FailAsync(org, job.Id, "w", second.LeaseId, "boom again");

        var events = await ReadAsync(subscription, 6);
        Assert.Equal(
            [
                "status pending->processing", "failed retry=1 will_retry=True error=boom", "status processing->pending",
                "status pending->processing", "failed retry=2 will_retry=False error=boom again", "status processing->deadletter",
            ],
            events.ConvertAll(Describe));
    }

    [Fact]
    public async Task Another_organizations_changes_never_arrive()
    {
        await using var fx = new BrokerFixture();
        var mine = await fx.CreateOrgAsync("mine");
        var theirs = await fx.CreateOrgAsync("theirs");
        using var subscription = fx.Broker.Events.Subscribe(mine);

        await fx.Broker.EnqueueBulkAsync(theirs, new BulkEnqueueRequest { QueueName = "q", Jobs = [Job(), Job(), Job()] });
        await fx.Broker.PauseQueueAsync(theirs, "q", "theirs");
        var own = await fx.Broker.EnqueueAsync(mine, Job("own"));

        var first = (await ReadAsync(subscription, 1))[0];
        Assert.Equal(own.Id, first.JobId);
        Assert.Equal(mine, first.OrgId);
    }

    [Fact]
    public async Task Workers_and_queues_report_their_changes()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        using var subscription = fx.Broker.Events.Subscribe(org);

        await fx.Broker.RegisterWorkerAsync(org, new WorkerRegistration { WorkerId = "w1", QueueName = "q", Hostname = "h" });
        await fx.Broker.WorkerHeartbeatAsync(org, "w1", 3, "degraded", null);
        await fx.Broker.PauseQueueAsync(org, "q", "maintenance");
        await fx.Broker.ResumeQueueAsync(org, "q");
        await fx.Broker.DeregisterWorkerAsync(org, "w1");

        var events = await ReadAsync(subscription, 5);
        Assert.Equal(
            [BrokerEventKind.WorkerRegistered, BrokerEventKind.WorkerHeartbeat, BrokerEventKind.QueuePaused, BrokerEventKind.QueueResumed, BrokerEventKind.WorkerDeregistered],
            events.ConvertAll(e => e.Kind));
        Assert.Equal(("w1", "q", "healthy"), (events[0].WorkerId, events[0].QueueName, events[0].Detail));
        Assert.Equal(("degraded", 3), (events[1].Detail, events[1].CurrentJobs));
        Assert.Equal(("q", "maintenance"), (events[2].QueueName, events[2].Detail));
        Assert.Null(events[3].Detail);
        Assert.Equal(("w1", "offline"), (events[4].WorkerId, events[4].Detail));
    }

    [Fact]
    public async Task A_change_the_log_did_not_keep_is_never_published()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        using var subscription = fx.Broker.Events.Subscribe(org);
        var before = fx.Broker.Events.LastSequence;

        fx.Storage.FailNextFlushes(1);
        await Assert.ThrowsAsync<BrokerException>(() => fx.Broker.EnqueueAsync(org, Job()));

        // The failed append's events were dropped when its failure was handled: none can come later.
        Assert.Equal(before, fx.Broker.Events.LastSequence);
        Assert.False(subscription.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Nobody_listening_means_no_events_are_made()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.EnqueueBulkAsync(org, new BulkEnqueueRequest { QueueName = "q", Jobs = [Job(), Job()] });
        Assert.Equal(0, fx.Broker.Events.LastSequence);

        using (var subscription = fx.Broker.Events.Subscribe(org))
        {
            await fx.Broker.EnqueueAsync(org, Job());
            await ReadAsync(subscription, 2);
        }

        Assert.Equal(2, fx.Broker.Events.LastSequence);
        await fx.Broker.EnqueueAsync(org, Job());
        Assert.Equal(2, fx.Broker.Events.LastSequence);
    }

    [Fact]
    public async Task A_subscriber_that_falls_behind_is_cut_off_not_buffered()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        using var slow = fx.Broker.Events.Subscribe(org, capacity: 5);
        using var keeping = fx.Broker.Events.Subscribe(org, capacity: 1000);

        await fx.Broker.EnqueueBulkAsync(org, new BulkEnqueueRequest { QueueName = "q", Jobs = [Job(), Job(), Job(), Job(), Job()] });

        // Events are published when the append is durable, which may be just after the answer.
        Assert.Equal(5, (await ReadAllAsync(slow)).Count); // What fitted, then the end.
        Assert.True(slow.Overflowed);
        Assert.Equal(10, (await ReadAsync(keeping, 10)).Count);
        Assert.False(keeping.Overflowed);
    }

    private static async Task<List<BrokerEvent>> ReadAllAsync(EventSubscription subscription)
    {
        var events = new List<BrokerEvent>();
        using var timeout = new CancellationTokenSource(s_wait);
        await foreach (var e in subscription.Reader.ReadAllAsync(timeout.Token))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public void Resuming_replays_the_kept_events_after_the_last_one_seen()
    {
        var bus = new EventBus(recentCapacity: 4);
        using (bus.Subscribe("o"))
        {
            bus.Publish([Event("o", 1), Event("x", 2), Event("o", 3)]);
        }

        using var resumed = bus.Subscribe("o", after: 1);
        Assert.False(resumed.MissedEvents);
        Assert.True(resumed.Reader.TryRead(out var replayed));
        Assert.Equal((3L, 3), (replayed.Sequence, replayed.Priority));
        Assert.False(resumed.Reader.TryRead(out _));

        bus.Publish([Event("o", 4), Event("o", 5), Event("o", 6), Event("o", 7)]);
        using var late = bus.Subscribe("o", after: 2);
        Assert.True(late.MissedEvents); // Sequence 3 is no longer kept.
        var sequences = new List<long>();
        while (late.Reader.TryRead(out var e))
        {
            sequences.Add(e.Sequence);
        }

        Assert.Equal([4L, 5, 6, 7], sequences);

        // An id from before a restart (never given out by this bus) cannot be resumed from.
        using var fromBefore = bus.Subscribe("o", after: 50);
        Assert.True(fromBefore.MissedEvents);
        Assert.False(fromBefore.Reader.TryRead(out _));
        using var current = bus.Subscribe("o", after: 7);
        Assert.False(current.MissedEvents);
    }

    private static BrokerEvent Event(string org, int marker) =>
        new() { Kind = BrokerEventKind.JobCreated, OrgId = org, Priority = marker, Timestamp = BrokerFixture.Epoch };
}

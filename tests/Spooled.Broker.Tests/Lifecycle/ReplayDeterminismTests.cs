using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

/// <summary>
/// The state the broker holds, the state rebuilt by replaying the whole log, and the state rebuilt
/// from a snapshot plus the records after it are the same, byte for byte.
/// </summary>
public sealed class ReplayDeterminismTests
{
    [Fact]
    public async Task Live_state_equals_pure_replay_and_snapshot_plus_replay()
    {
        await using var fx = new BrokerFixture(o => o.With(retentionWindow: TimeSpan.FromMinutes(5)));
        var a = await fx.CreateOrgAsync("org-a");
        var b = await fx.CreateOrgAsync("org-b");
        await RunWorkloadAsync(fx, a, b, phase: 0);
        Assert.NotEqual(0, (await fx.Broker.SnapshotAsync()).Jobs);
        await RunWorkloadAsync(fx, a, b, phase: 1);

        // The last change is a record at the final time, so every rebuilt clock ends where the live one does.
        await fx.Broker.AddJobAsync(a, "final");
        var live = await fx.Broker.StateBytesAsync();
        Assert.Null(await fx.Broker.FindInconsistencyAsync());

        var replayOnly = fx.Storage.Clone();
        foreach (var name in replayOnly.ListFiles().Where(n => n.EndsWith(".snap", StringComparison.Ordinal)))
        {
            replayOnly.Delete(name);
        }

        await using (var replayed = JobBroker.Open(fx.Options.With(storage: replayOnly)))
        {
            Assert.Null(replayed.Startup.SnapshotPosition);
            Assert.Null(await replayed.FindInconsistencyAsync());
            Assert.Equal(live, await replayed.StateBytesAsync());
        }

        await fx.RestartAsync();
        Assert.NotNull(fx.Broker.Startup.SnapshotPosition);
        Assert.True(fx.Broker.Startup.RecordsReplayed > 0);
        Assert.Null(await fx.Broker.FindInconsistencyAsync());
        Assert.Equal(live, await fx.Broker.StateBytesAsync());

        await fx.CrashAsync();
        Assert.Equal(live, await fx.Broker.StateBytesAsync());
    }

    [Fact]
    public async Task Snapshot_of_a_reloaded_state_equals_the_snapshot_it_was_loaded_from()
    {
        await using var fx = new BrokerFixture(o => o.With(retentionWindow: TimeSpan.FromMinutes(5)));
        var a = await fx.CreateOrgAsync("org-a");
        var b = await fx.CreateOrgAsync("org-b");
        await RunWorkloadAsync(fx, a, b, phase: 0);
        await fx.Broker.AddJobAsync(a, "final");
        var live = await fx.Broker.StateBytesAsync();

        await fx.Broker.SnapshotAsync();
        await fx.RestartAsync();
        Assert.Equal(0, fx.Broker.Startup.RecordsReplayed);
        Assert.Equal(live, await fx.Broker.StateBytesAsync());
    }

    [Fact]
    public async Task Deleted_queues_and_organizations_do_not_change_the_order_a_snapshot_reloads_in()
    {
        await using var fx = new BrokerFixture();
        var a = await fx.CreateOrgAsync("org-a");
        var x = await fx.CreateOrgAsync("org-x");
        await fx.CreateOrgAsync("org-y");
        await fx.Broker.ConfigureQueueAsync(a, "q1", new QueueConfigUpdate { MaxRetries = 1 });
        await fx.Broker.ConfigureQueueAsync(a, "q2", new QueueConfigUpdate { MaxRetries = 2 });
        await fx.Broker.DeleteQueueAsync(a, "q1");
        await fx.Broker.DeleteOrganizationAsync(x);
        await fx.Broker.SnapshotAsync();

        // Created after the snapshot, where the deleted ones were.
        await fx.CreateOrgAsync("org-z");
        await fx.Broker.ConfigureQueueAsync(a, "q3", new QueueConfigUpdate { MaxRetries = 3 });
        await fx.Broker.AddJobAsync(a, "q3");
        var live = await fx.Broker.StateBytesAsync();

        await fx.RestartAsync();
        Assert.NotNull(fx.Broker.Startup.SnapshotPosition);
        Assert.Equal(live, await fx.Broker.StateBytesAsync());
        Assert.Equal(["q2", "q3"], (await fx.Broker.ListQueuesAsync(a)).Select(q => q.QueueName));
    }

    /// <summary>Touches every kind of record, with the clock moving in between.</summary>
    private static async Task RunWorkloadAsync(BrokerFixture fx, string a, string b, int phase)
    {
        var broker = fx.Broker;
        var p = $"p{phase}-";
        await broker.ConfigureQueueAsync(a, "emails", new QueueConfigUpdate { MaxRetries = 2, BackoffBaseSeconds = 10, BackoffMaxSeconds = 40, BackoffJitter = true, Settings = Json("{\"x\":1}") });
        await broker.RegisterWorkerAsync(a, new WorkerRegistration { WorkerId = "w1", QueueName = "emails", Hostname = "h1", Metadata = Json("{}") });
        await broker.RegisterWorkerAsync(b, new WorkerRegistration { WorkerId = "w1", QueueName = "q", Hostname = "hb" });

        var bulk = await broker.EnqueueBulkAsync(a, new BulkEnqueueRequest
        {
            QueueName = "emails",
            Jobs = [.. Enumerable.Range(0, 12).Select(i => new JobSpec
            {
                Payload = Json($"{{\"i\":{i}}}"),
                Priority = (i % 3) - 1,
                Tags = i % 2 == 0 ? Json("[\"even\"]") : Json("{\"odd\":true}"),
                IdempotencyKey = i % 4 == 0 ? $"{p}key{i}" : null,
            })],
        });
        var parent = bulk.Succeeded[0].JobId!.Value;
        await broker.EnqueueAsync(a, new JobSpec { QueueName = "emails", Payload = Json("{}"), ParentJobId = parent, CompletionWebhook = "https://example.com/done" });
        await broker.EnqueueAsync(a, new JobSpec { QueueName = "emails", Payload = Json("{}"), ScheduledAt = fx.Clock.GetUtcNow().AddMinutes(2) });
        var expiring = (await broker.EnqueueAsync(a, new JobSpec { QueueName = $"{p}other", Payload = Json("{}"), ExpiresAt = fx.Clock.GetUtcNow().AddMinutes(1), Priority = -10 })).Id;
        var heldAtExpiry = (await broker.EnqueueAsync(a, new JobSpec { QueueName = $"{p}other", Payload = Json("{}"), ExpiresAt = fx.Clock.GetUtcNow().AddMinutes(1), Priority = -5 })).Id;
        await broker.EnqueueBulkAsync(b, new BulkEnqueueRequest { QueueName = "q", Jobs = [.. Enumerable.Range(0, 5).Select(_ => Job())] });

        var claimed = await broker.ClaimManyAsync(a, "emails", 5, worker: "w1");
        await fx.AdvanceAsync(TimeSpan.FromSeconds(3));
        await broker.CompleteAsync(a, claimed[0].Id, "w1", claimed[0].LeaseId, Json("{\"ok\":1}"));
        await broker.FailAsync(a, claimed[1].Id, "w1", claimed[1].LeaseId, "transient");
        await broker.HeartbeatAsync(a, claimed[2].Id, "w1", claimed[2].LeaseId, 120);
        await broker.ReportProgressAsync(a, claimed[2].Id, "w1", claimed[2].LeaseId, Json("{\"pct\":50}"));
        await broker.CompleteManyAsync(a, "w1", [new JobAck { JobId = claimed[3].Id, LeaseId = claimed[3].LeaseId }, new JobAck { JobId = Guid.NewGuid() }]);
        Assert.Equal(heldAtExpiry, (await broker.ClaimOneAsync(a, $"{p}other", worker: "w9", leaseSeconds: 60)).Id);

        var pending = (await broker.ListJobsAsync(a, new JobQuery { QueueName = "emails", Status = JobStatus.Pending, Descending = false })).Select(j => j.Id).ToList();
        await broker.CancelAsync(a, pending[0]);
        await broker.SetPriorityAsync(a, pending[1], 42);
        await broker.WorkerHeartbeatAsync(a, "w1", 3, "degraded", null);

        // A queue and an organization that come and go.
        await broker.ConfigureQueueAsync(a, $"{p}tmp", new QueueConfigUpdate { RateLimit = 5 });
        await broker.DeleteQueueAsync(a, $"{p}tmp");
        var transient = await fx.CreateOrgAsync($"{p}gone");
        await broker.DeleteOrganizationAsync(transient);

        await broker.PauseQueueAsync(b, "q", "maintenance");
        var key = await broker.CreateApiKeyAsync(a, $"{p}ci", ["emails"], 100, fx.Clock.GetUtcNow().AddDays(1));
        await broker.RevokeApiKeyAsync(a, key.Id);
        await broker.UpdateOrganizationAsync(b, new OrganizationUpdate { Name = "Bee Corp", BillingEmail = "bill@example.com" });

        // Dead letters: one retried, one purged.
        for (var i = 0; i < 2; i++)
        {
            var id = (await broker.EnqueueAsync(a, new JobSpec { QueueName = $"{p}dlq{i}", Payload = Json("{}"), MaxRetries = 0 })).Id;
            var claim = await broker.ClaimOneAsync(a, $"{p}dlq{i}");
            await broker.FailAsync(a, id, "w1", claim.LeaseId, "fatal");
            if (i == 0)
            {
                await broker.RetryDeadLetterAsync(a, new DeadLetterRetry { JobIds = [id] });
            }
            else
            {
                await broker.PurgeDeadLetterAsync(a, new DeadLetterPurge { JobIds = [id] });
            }
        }

        // Leases run out, the expiry passes (one job was held through it), the schedule comes due.
        await fx.AdvanceAsync(TimeSpan.FromSeconds(40));
        await fx.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Cancelled, (await broker.JobAsync(a, expiring)).Status);
        await broker.ResumeQueueAsync(b, "q");
        Assert.Equal(3, (await broker.ClaimManyAsync(b, "q", 3, worker: "w1")).Count);
        await broker.DeregisterWorkerAsync(b, "w1");

        await broker.RegisterWorkerAsync(a, new WorkerRegistration { WorkerId = "w2", QueueName = "emails", Hostname = "h2" });
        await fx.AdvanceAsync(TimeSpan.FromMinutes(2));
        var more = await broker.ClaimManyAsync(a, "emails", 10, worker: "w2", leaseSeconds: 300);
        Assert.True(more.Count > 5, $"only {more.Count} jobs were claimable");
        foreach (var c in more.Take(4))
        {
            await broker.CompleteAsync(a, c.Id, "w2", c.LeaseId, null);
        }

        await fx.AdvanceAsync(TimeSpan.FromSeconds(45));
        Assert.Equal(more.Count - 4, await broker.DeregisterWorkerAsync(a, "w2"));

        // Retention takes what finished more than five minutes ago.
        await fx.AdvanceAsync(TimeSpan.FromMinutes(6));
        await broker.EnqueueAsync(a, Job("emails", key: $"{p}late"));
    }
}

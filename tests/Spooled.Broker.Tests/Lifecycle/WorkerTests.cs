using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class WorkerTests
{
    private static WorkerRegistration Registration(string? id = "w1", string host = "host-a", string queue = "q") =>
        new() { WorkerId = id, QueueName = queue, Hostname = host, WorkerType = "sdk", MaxConcurrency = 4, Version = "1.0" };

    [Fact]
    public async Task Register_returns_the_worker_and_the_intervals()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var (worker, lease, heartbeat) = await fx.Broker.RegisterWorkerAsync(org, Registration());

        Assert.Equal(("w1", org, "q", "host-a", 4, WorkerStatus.Healthy), (worker.Id, worker.OrganizationId, worker.QueueName, worker.Hostname, worker.MaxConcurrency, worker.Status));
        Assert.Equal(BrokerFixture.Epoch, worker.LastHeartbeat);
        Assert.Equal(30, lease);
        Assert.Equal(10, heartbeat);

        var generated = (await fx.Broker.RegisterWorkerAsync(org, Registration(id: null))).Worker;
        Assert.True(Guid.TryParse(generated.Id, out _));
        Assert.Equal(5, (await fx.Broker.RegisterWorkerAsync(org, new WorkerRegistration { QueueName = "q", Hostname = "h" })).Worker.MaxConcurrency);
    }

    [Fact]
    public async Task Registering_an_existing_id_updates_it_in_place()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.RegisterWorkerAsync(org, Registration());
        await fx.AdvanceAsync(TimeSpan.FromMinutes(5));

        var (worker, _, _) = await fx.Broker.RegisterWorkerAsync(org, Registration(host: "host-b", queue: "other"));
        Assert.Equal(("host-b", "other"), (worker.Hostname, worker.QueueName));
        Assert.Equal(BrokerFixture.Epoch, worker.CreatedAt);
        Assert.Equal(BrokerFixture.Epoch.AddMinutes(5), worker.LastHeartbeat);
        Assert.Equal(WorkerStatus.Healthy, worker.Status);
        Assert.Single(await fx.Broker.ListWorkersAsync(org));
    }

    [Fact]
    public async Task Registration_is_validated()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await InvalidAsync("hostname", () => fx.Broker.RegisterWorkerAsync(org, Registration(host: "")));
        await InvalidAsync("queue_name", () => fx.Broker.RegisterWorkerAsync(org, Registration(queue: "no good")));
        await InvalidAsync("max_concurrency", () => fx.Broker.RegisterWorkerAsync(org, new WorkerRegistration { QueueName = "q", Hostname = "h", MaxConcurrency = 0 }));
        Assert.Empty(await fx.Broker.ListWorkersAsync(org));
    }

    [Fact]
    public async Task Heartbeat_stores_current_jobs_and_an_unknown_status_counts_as_healthy()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.RegisterWorkerAsync(org, Registration());

        await fx.AdvanceAsync(TimeSpan.FromSeconds(10));
        await fx.Broker.WorkerHeartbeatAsync(org, "w1", 3, "degraded", null);
        var worker = await fx.Broker.GetWorkerAsync(org, "w1");
        Assert.Equal((3, WorkerStatus.Degraded), (worker.CurrentJobs, worker.Status));
        Assert.Equal(BrokerFixture.Epoch.AddSeconds(10), worker.LastHeartbeat);

        await fx.Broker.WorkerHeartbeatAsync(org, "w1", 2, "draining", null);
        Assert.Equal(WorkerStatus.Draining, (await fx.Broker.GetWorkerAsync(org, "w1")).Status);

        await fx.Broker.WorkerHeartbeatAsync(org, "w1", 1, "on fire", Json("{\"cpu\":9}"));
        worker = await fx.Broker.GetWorkerAsync(org, "w1");
        Assert.Equal((1, WorkerStatus.Healthy), (worker.CurrentJobs, worker.Status));
        Assert.Equal("{\"cpu\":9}", System.Text.Encoding.UTF8.GetString(worker.Metadata!));

        await fx.Broker.WorkerHeartbeatAsync(org, "w1", 0, null, null);
        Assert.Equal(WorkerStatus.Healthy, (await fx.Broker.GetWorkerAsync(org, "w1")).Status);
        await InvalidAsync("current_jobs", () => fx.Broker.WorkerHeartbeatAsync(org, "w1", -1, null, null));
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.WorkerHeartbeatAsync(org, "ghost", 0, null, null));
    }

    [Fact]
    public async Task Status_follows_heartbeat_age()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.RegisterWorkerAsync(org, Registration());

        await fx.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(WorkerStatus.Healthy, (await fx.Broker.GetWorkerAsync(org, "w1")).Status);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(WorkerStatus.Degraded, (await fx.Broker.GetWorkerAsync(org, "w1")).Status);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(89));
        Assert.Equal(WorkerStatus.Degraded, (await fx.Broker.GetWorkerAsync(org, "w1")).Status);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(WorkerStatus.Offline, (await fx.Broker.GetWorkerAsync(org, "w1")).Status);

        // A heartbeat brings it back.
        await fx.Broker.WorkerHeartbeatAsync(org, "w1", 0, "healthy", null);
        Assert.Equal(WorkerStatus.Healthy, (await fx.Broker.GetWorkerAsync(org, "w1")).Status);
    }

    [Fact]
    public async Task Deregistered_worker_is_offline_at_once_and_stays_listed()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.RegisterWorkerAsync(org, Registration());
        await fx.Broker.RegisterWorkerAsync(org, Registration("w2"));

        Assert.Equal(0, await fx.Broker.DeregisterWorkerAsync(org, "w1"));
        Assert.Equal(WorkerStatus.Offline, (await fx.Broker.GetWorkerAsync(org, "w1")).Status);
        Assert.Equal(WorkerStatus.Healthy, (await fx.Broker.GetWorkerAsync(org, "w2")).Status);
        Assert.Equal(2, (await fx.Broker.ListWorkersAsync(org)).Count);
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.DeregisterWorkerAsync(org, "ghost"));

        await fx.CrashAsync();
        Assert.Equal(WorkerStatus.Offline, (await fx.Broker.GetWorkerAsync(org, "w1")).Status);
    }

    [Fact]
    public async Task List_shows_the_most_recent_heartbeat_first()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.RegisterWorkerAsync(org, Registration("a"));
        await fx.Broker.RegisterWorkerAsync(org, Registration("b"));
        await fx.AdvanceAsync(TimeSpan.FromSeconds(1));
        await fx.Broker.RegisterWorkerAsync(org, Registration("c"));
        await fx.AdvanceAsync(TimeSpan.FromSeconds(1));
        await fx.Broker.WorkerHeartbeatAsync(org, "a", 0, null, null);

        Assert.Equal(["a", "c", "b"], (await fx.Broker.ListWorkersAsync(org)).Select(w => w.Id));
    }
}

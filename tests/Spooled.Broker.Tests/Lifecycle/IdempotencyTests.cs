using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task Duplicate_key_returns_the_existing_job_without_creating_one()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var first = await fx.Broker.EnqueueAsync(org, Job(key: "order-1", payload: "{\"n\":1}"));
        var second = await fx.Broker.EnqueueAsync(org, Job(key: "order-1", payload: "{\"n\":2}", priority: 9));

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1, (await fx.Broker.GetJobCountsAsync(org)).Total);
        var job = await fx.Broker.JobAsync(org, first.Id);
        Assert.Equal("{\"n\":1}", System.Text.Encoding.UTF8.GetString(job.Payload));
        Assert.Equal(0, job.Priority);
        Assert.Equal("order-1", job.IdempotencyKey);
    }

    [Fact]
    public async Task Key_is_organization_wide_across_queues()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var first = await fx.Broker.EnqueueAsync(org, Job("a", key: "k"));
        var second = await fx.Broker.EnqueueAsync(org, Job("b", key: "k"));

        Assert.False(second.Created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("a", (await fx.Broker.JobAsync(org, second.Id)).QueueName);
    }

    [Fact]
    public async Task Key_holds_while_the_job_is_finished_but_retained()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var first = await fx.Broker.EnqueueAsync(org, Job(key: "k"));
        var claim = await fx.Broker.ClaimOneAsync(org);
        await fx.Broker.CompleteAsync(org, first.Id, "w1", claim.LeaseId, null);

        var again = await fx.Broker.EnqueueAsync(org, Job(key: "k"));
        Assert.False(again.Created);
        Assert.Equal(first.Id, again.Id);
    }

    [Fact]
    public async Task Another_organization_may_use_the_same_key()
    {
        await using var fx = new BrokerFixture();
        var a = await fx.CreateOrgAsync("org-a");
        var b = await fx.CreateOrgAsync("org-b");
        var inA = await fx.Broker.EnqueueAsync(a, Job(key: "shared"));
        var inB = await fx.Broker.EnqueueAsync(b, Job(key: "shared"));

        Assert.True(inA.Created);
        Assert.True(inB.Created);
        Assert.NotEqual(inA.Id, inB.Id);
        Assert.Null(await fx.Broker.GetJobAsync(a, inB.Id));
        Assert.Equal(inB.Id, (await fx.Broker.EnqueueAsync(b, Job(key: "shared"))).Id);
    }

    [Fact]
    public async Task Key_survives_a_clean_restart_and_a_crash()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var first = await fx.Broker.EnqueueAsync(org, Job(key: "k"));

        await fx.RestartAsync();
        var afterRestart = await fx.Broker.EnqueueAsync(org, Job(key: "k"));
        Assert.False(afterRestart.Created);
        Assert.Equal(first.Id, afterRestart.Id);

        await fx.CrashAsync();
        var afterCrash = await fx.Broker.EnqueueAsync(org, Job(key: "k"));
        Assert.False(afterCrash.Created);
        Assert.Equal(first.Id, afterCrash.Id);

        await fx.Broker.SnapshotAsync();
        await fx.CrashAsync(seed: 2);
        Assert.Equal(first.Id, (await fx.Broker.EnqueueAsync(org, Job(key: "k"))).Id);
        Assert.Equal(1, (await fx.Broker.GetJobCountsAsync(org)).Total);
    }

    [Fact]
    public async Task Key_is_released_once_retention_removes_the_job()
    {
        await using var fx = new BrokerFixture(o => o.With(retentionWindow: TimeSpan.FromMinutes(10)));
        var org = await fx.CreateOrgAsync();
        var first = await fx.Broker.EnqueueAsync(org, Job(key: "k"));
        await fx.Broker.CancelAsync(org, first.Id);

        await fx.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.Null(await fx.Broker.GetJobAsync(org, first.Id));

        var second = await fx.Broker.EnqueueAsync(org, Job(key: "k"));
        Assert.True(second.Created);
        Assert.NotEqual(first.Id, second.Id);

        // The new owner of the key keeps it after replay, where the old job's removal is replayed first.
        await fx.CrashAsync();
        Assert.Equal(second.Id, (await fx.Broker.EnqueueAsync(org, Job(key: "k"))).Id);
    }

    [Fact]
    public async Task Invalid_duplicate_is_refused_rather_than_answered_with_the_existing_job()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.EnqueueAsync(org, Job(key: "k"));
        await InvalidAsync("priority", () => fx.Broker.EnqueueAsync(org, Job(key: "k", priority: 500)));
    }
}

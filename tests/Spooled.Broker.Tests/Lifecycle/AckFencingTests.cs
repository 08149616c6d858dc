using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

/// <summary>Who may complete, fail or heartbeat a job: the current lease holder, and nobody else.</summary>
public sealed class AckFencingTests
{
    public enum Ack
    {
        Complete,
        Fail,
        Heartbeat,
    }

    private static Task Do(JobBroker broker, Ack ack, string org, Guid job, string worker, Guid? lease) => ack switch
    {
        Ack.Complete => broker.CompleteAsync(org, job, worker, lease, Json("{}")),
        Ack.Fail => broker.FailAsync(org, job, worker, lease, "boom"),
        _ => broker.HeartbeatAsync(org, job, worker, lease, 30),
    };

    [Theory]
    [InlineData(Ack.Complete)]
    [InlineData(Ack.Fail)]
    [InlineData(Ack.Heartbeat)]
    public async Task Stale_lease_after_expiry_and_redelivery_is_refused_as_expired(Ack ack)
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        var stale = await fx.Broker.ClaimOneAsync(org, leaseSeconds: 10);

        await fx.AdvanceAsync(TimeSpan.FromSeconds(11));
        // Expired but not yet claimed again: the old lease is already dead.
        await RefusedAsync(BrokerErrorCode.LeaseExpired, () => Do(fx.Broker, ack, org, id, "w1", stale.LeaseId));

        var current = await fx.Broker.ClaimOneAsync(org, worker: "w1");
        await RefusedAsync(BrokerErrorCode.LeaseExpired, () => Do(fx.Broker, ack, org, id, "w1", stale.LeaseId));

        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(JobStatus.Processing, job.Status);
        Assert.Equal(current.LeaseId, job.LeaseId);
        Assert.Equal(current.LeaseExpiresAt, job.LeaseExpiresAt);
        await Do(fx.Broker, ack, org, id, "w1", current.LeaseId);
    }

    [Theory]
    [InlineData(Ack.Complete)]
    [InlineData(Ack.Fail)]
    [InlineData(Ack.Heartbeat)]
    public async Task Foreign_lease_is_refused_as_expired(Ack ack)
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        var otherJob = await fx.Broker.AddJobAsync(org);
        var mine = await fx.Broker.ClaimOneAsync(org, worker: "w1");
        var theirs = await fx.Broker.ClaimOneAsync(org, worker: "w2");
        Assert.Equal((id, otherJob), (mine.Id, theirs.Id));

        await RefusedAsync(BrokerErrorCode.LeaseExpired, () => Do(fx.Broker, ack, org, id, "w1", Guid.NewGuid()));
        await RefusedAsync(BrokerErrorCode.LeaseExpired, () => Do(fx.Broker, ack, org, id, "w1", theirs.LeaseId));
        await RefusedAsync(BrokerErrorCode.LeaseExpired, () => Do(fx.Broker, ack, org, id, "w2", mine.LeaseId));
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(org, id)).Status);
        Assert.Equal(mine.LeaseExpiresAt, (await fx.Broker.JobAsync(org, id)).LeaseExpiresAt);
    }

    [Theory]
    [InlineData(Ack.Complete)]
    [InlineData(Ack.Fail)]
    [InlineData(Ack.Heartbeat)]
    public async Task Without_a_lease_another_worker_no_longer_holds_the_job(Ack ack)
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        await fx.Broker.ClaimOneAsync(org, worker: "w1");

        await RefusedAsync(BrokerErrorCode.LeaseExpired, () => Do(fx.Broker, ack, org, id, "w2", null));
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(org, id)).Status);
        await Do(fx.Broker, ack, org, id, "w1", null);
    }

    [Theory]
    [InlineData(Ack.Complete)]
    [InlineData(Ack.Fail)]
    [InlineData(Ack.Heartbeat)]
    public async Task Without_a_lease_a_job_not_processing_is_no_longer_held(Ack ack)
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var pending = await fx.Broker.AddJobAsync(org, "waiting");
        var done = await fx.Broker.AddJobAsync(org);
        var claim = await fx.Broker.ClaimOneAsync(org);
        await fx.Broker.CompleteAsync(org, done, "w1", claim.LeaseId, null);

        await RefusedAsync(BrokerErrorCode.LeaseExpired, () => Do(fx.Broker, ack, org, pending, "w1", null));
        await RefusedAsync(BrokerErrorCode.LeaseExpired, () => Do(fx.Broker, ack, org, done, "w1", null));
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, pending)).Status);
        Assert.Equal(JobStatus.Completed, (await fx.Broker.JobAsync(org, done)).Status);
    }

    [Theory]
    [InlineData(Ack.Complete)]
    [InlineData(Ack.Fail)]
    [InlineData(Ack.Heartbeat)]
    public async Task Job_of_another_organization_is_not_found(Ack ack)
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var other = await fx.CreateOrgAsync("other");
        var id = await fx.Broker.AddJobAsync(other);
        var claim = await fx.Broker.ClaimOneAsync(other);

        await RefusedAsync(BrokerErrorCode.NotFound, () => Do(fx.Broker, ack, org, id, "w1", claim.LeaseId));
        await RefusedAsync(BrokerErrorCode.NotFound, () => Do(fx.Broker, ack, org, id, "w1", null));
        await RefusedAsync(BrokerErrorCode.NotFound, () => Do(fx.Broker, ack, org, Guid.NewGuid(), "w1", null));
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(other, id)).Status);
    }

    [Fact]
    public async Task Second_acknowledgement_of_a_finished_job_is_refused()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        var claim = await fx.Broker.ClaimOneAsync(org);
        await fx.Broker.CompleteAsync(org, id, "w1", claim.LeaseId, Json("1"));

        await RefusedAsync(BrokerErrorCode.LeaseExpired, () => fx.Broker.CompleteAsync(org, id, "w1", claim.LeaseId, Json("2")));
        await RefusedAsync(BrokerErrorCode.LeaseExpired, () => fx.Broker.FailAsync(org, id, "w1", claim.LeaseId, "late"));
        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal("1", System.Text.Encoding.UTF8.GetString(job.Result!));
        Assert.Null(job.LastError);
    }

    [Fact]
    public async Task Batch_acknowledgement_refuses_items_one_by_one()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var a = await fx.Broker.AddJobAsync(org);
        var b = await fx.Broker.AddJobAsync(org);
        var claims = await fx.Broker.ClaimManyAsync(org, "q", 2);

        var results = await fx.Broker.CompleteManyAsync(org, "w1",
        [
            new JobAck { JobId = a, LeaseId = claims[0].LeaseId },
            new JobAck { JobId = a, LeaseId = claims[0].LeaseId },
            new JobAck { JobId = b, LeaseId = Guid.NewGuid() },
            new JobAck { JobId = Guid.NewGuid() },
        ]);

        Assert.Null(results[0].Error);
        Assert.Equal(BrokerErrorCode.LeaseExpired, results[1].Error);
        Assert.Equal(BrokerErrorCode.LeaseExpired, results[2].Error);
        Assert.Equal(BrokerErrorCode.NotFound, results[3].Error);
        Assert.Equal(JobStatus.Completed, (await fx.Broker.JobAsync(org, a)).Status);
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(org, b)).Status);
    }

    [Fact]
    public async Task Complete_stores_the_result_and_clears_the_lease()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        var claim = await fx.Broker.ClaimOneAsync(org);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(3));
        await fx.Broker.CompleteAsync(org, id, "w1", claim.LeaseId, Json("{\"sent\":3}"));

        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal("{\"sent\":3}", System.Text.Encoding.UTF8.GetString(job.Result!));
        Assert.Equal(BrokerFixture.Epoch.AddSeconds(3), job.CompletedAt);
        Assert.Null(job.LeaseId);
        Assert.Null(job.LeaseExpiresAt);
        Assert.Equal(0, job.RetryCount);

        // The lease timer is gone with the lease: nothing happens at its old expiry.
        await fx.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(JobStatus.Completed, (await fx.Broker.JobAsync(org, id)).Status);
    }

    [Fact]
    public async Task Result_over_one_mebibyte_is_refused_and_the_job_stays_held()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        var claim = await fx.Broker.ClaimOneAsync(org);
        await RefusedAsync(BrokerErrorCode.PayloadTooLarge, () => fx.Broker.CompleteAsync(org, id, "w1", claim.LeaseId, new byte[(1024 * 1024) + 1]));
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(org, id)).Status);
    }

    [Fact]
    public async Task Fail_needs_an_error_of_1_to_2048_characters()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        var claim = await fx.Broker.ClaimOneAsync(org);
        await InvalidAsync("error", () => fx.Broker.FailAsync(org, id, "w1", claim.LeaseId, ""));
        await InvalidAsync("error", () => fx.Broker.FailAsync(org, id, "w1", claim.LeaseId, new string('e', 2049)));
        var outcome = await fx.Broker.FailAsync(org, id, "w1", claim.LeaseId, new string('e', 2048));
        Assert.True(outcome.WillRetry);
    }

    [Fact]
    public async Task Heartbeat_extends_the_lease_past_its_old_expiry()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        var claim = await fx.Broker.ClaimOneAsync(org, leaseSeconds: 30);

        await fx.AdvanceAsync(TimeSpan.FromSeconds(20));
        var until = await fx.Broker.HeartbeatAsync(org, id, "w1", claim.LeaseId, 30);
        Assert.Equal(BrokerFixture.Epoch.AddSeconds(50), until);
        Assert.Equal(until, (await fx.Broker.JobAsync(org, id)).LeaseExpiresAt);

        await fx.AdvanceAsync(TimeSpan.FromSeconds(25));
        var job = await fx.Broker.JobAsync(org, id);
        Assert.Equal(JobStatus.Processing, job.Status);
        Assert.Equal(0, job.RetryCount);
        Assert.Equal(claim.LeaseId, job.LeaseId);
        Assert.Empty(await fx.Broker.ClaimManyAsync(org, "q", 1, worker: "w2"));

        // The extension survives a crash, and the new expiry is the one enforced.
        await fx.CrashAsync();
        await fx.AdvanceAsync(TimeSpan.FromSeconds(4));
        Assert.Equal(JobStatus.Processing, (await fx.Broker.JobAsync(org, id)).Status);
        await fx.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(JobStatus.Pending, (await fx.Broker.JobAsync(org, id)).Status);
    }

    [Fact]
    public async Task Heartbeat_lease_is_5_to_3600_seconds()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var id = await fx.Broker.AddJobAsync(org);
        var claim = await fx.Broker.ClaimOneAsync(org);
        await InvalidAsync("lease_duration_secs", () => fx.Broker.HeartbeatAsync(org, id, "w1", claim.LeaseId, 4));
        await InvalidAsync("lease_duration_secs", () => fx.Broker.HeartbeatAsync(org, id, "w1", claim.LeaseId, 3601));
        Assert.Equal(claim.LeaseExpiresAt, (await fx.Broker.JobAsync(org, id)).LeaseExpiresAt);
    }
}

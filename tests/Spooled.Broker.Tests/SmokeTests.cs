using System.Text;
using Spooled.Broker.Tests.Support;

namespace Spooled.Broker.Tests;

public sealed class SmokeTests
{
    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Enqueue_claim_complete_survives_restart()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var first = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "emails", Payload = Json("{\"to\":\"a\"}") });
        var second = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "emails", Payload = Json("{\"to\":\"b\"}"), Priority = 5 });
        Assert.True(first.Created);

        var claimed = await fx.Broker.ClaimAsync(org, new ClaimRequest { QueueName = "emails", WorkerId = "w1", Limit = 1 });
        Assert.Equal(second.Id, Assert.Single(claimed).Id);
        await fx.Broker.CompleteAsync(org, second.Id, "w1", claimed[0].LeaseId, Json("{\"ok\":true}"));

        await fx.RestartAsync();
        var done = await fx.Broker.GetJobAsync(org, second.Id);
        Assert.Equal(JobStatus.Completed, done!.Status);
        Assert.Equal("{\"ok\":true}", Encoding.UTF8.GetString(done.Result!));
        var waiting = await fx.Broker.GetJobAsync(org, first.Id);
        Assert.Equal(JobStatus.Pending, waiting!.Status);

        await fx.Broker.SnapshotAsync();
        await fx.CrashAsync();
        Assert.Equal(JobStatus.Completed, (await fx.Broker.GetJobAsync(org, second.Id))!.Status);
        var counts = await fx.Broker.GetJobCountsAsync(org);
        Assert.Equal(1, counts.Pending);
        Assert.Equal(1, counts.Completed);
    }
}

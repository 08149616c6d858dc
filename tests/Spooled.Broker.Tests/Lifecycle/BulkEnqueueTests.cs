using Spooled.Broker.Records;
using Spooled.Broker.Tests.Support;
using Spooled.Log;
using Spooled.Testing;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class BulkEnqueueTests
{
    private static BulkEnqueueRequest Bulk(int count, string queue = "q", Func<int, JobSpec>? item = null) => new()
    {
        QueueName = queue,
        Jobs = [.. Enumerable.Range(0, count).Select(i => item?.Invoke(i) ?? new JobSpec { Payload = Json($"{{\"i\":{i}}}") })],
    };

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task Batch_must_hold_1_to_100_items(int count)
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await InvalidAsync("jobs", () => fx.Broker.EnqueueBulkAsync(org, Bulk(count)));
        Assert.Equal(0, (await fx.Broker.GetJobCountsAsync(org)).Total);
    }

    [Fact]
    public async Task Hundred_items_are_accepted_in_item_order()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var result = await fx.Broker.EnqueueBulkAsync(org, Bulk(100));

        Assert.Empty(result.Failed);
        Assert.Equal(Enumerable.Range(0, 100), result.Succeeded.Select(s => s.Index));
        Assert.All(result.Succeeded, s => Assert.True(s.Created));
        var claimed = await fx.Broker.ClaimManyAsync(org, "q", 100);
        Assert.Equal(result.Succeeded.Select(s => s.JobId!.Value), claimed.Select(c => c.Id));
    }

    [Fact]
    public async Task Bad_request_level_field_refuses_the_whole_batch()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await InvalidAsync("queue_name", () => fx.Broker.EnqueueBulkAsync(org, Bulk(3, queue: "bad name")));
        await InvalidAsync("default_priority", () => fx.Broker.EnqueueBulkAsync(org, new BulkEnqueueRequest { QueueName = "q", Jobs = [Job()], DefaultPriority = 101 }));
        await InvalidAsync("default_max_retries", () => fx.Broker.EnqueueBulkAsync(org, new BulkEnqueueRequest { QueueName = "q", Jobs = [Job()], DefaultMaxRetries = 101 }));
        await InvalidAsync("default_timeout_seconds", () => fx.Broker.EnqueueBulkAsync(org, new BulkEnqueueRequest { QueueName = "q", Jobs = [Job()], DefaultTimeoutSeconds = 0 }));
        Assert.Equal(0, (await fx.Broker.GetJobCountsAsync(org)).Total);
    }

    [Fact]
    public async Task Invalid_items_fail_alone_with_their_index_and_field()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var request = new BulkEnqueueRequest
        {
            QueueName = "q",
            Jobs =
            [
                new JobSpec { Payload = Json("{}") },
                new JobSpec { Payload = Json("{}"), Priority = 500 },
                new JobSpec { Payload = Json("{}") },
                new JobSpec { Payload = new byte[(1024 * 1024) + 1] },
                new JobSpec { Payload = Json("{}"), CompletionWebhook = "nope" },
            ],
        };
        var result = await fx.Broker.EnqueueBulkAsync(org, request);

        Assert.Equal([0, 2], result.Succeeded.Select(s => s.Index));
        Assert.Equal([1, 3, 4], result.Failed.Select(f => f.Index));
        Assert.All(result.Failed, f => Assert.Null(f.JobId));
        Assert.Contains("jobs[1].priority", result.Failed[0].Error, StringComparison.Ordinal);
        Assert.Contains("jobs[3].payload", result.Failed[1].Error, StringComparison.Ordinal);
        Assert.Contains("jobs[4].completion_webhook", result.Failed[2].Error, StringComparison.Ordinal);
        Assert.Equal(2, (await fx.Broker.GetJobCountsAsync(org)).Pending);
    }

    [Fact]
    public async Task Request_defaults_apply_to_items_that_set_none_and_the_item_queue_is_ignored()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var result = await fx.Broker.EnqueueBulkAsync(org, new BulkEnqueueRequest
        {
            QueueName = "q",
            DefaultPriority = 7,
            DefaultMaxRetries = 1,
            DefaultTimeoutSeconds = 11,
            Jobs = [new JobSpec { QueueName = "elsewhere", Payload = Json("{}") }, new JobSpec { Payload = Json("{}"), Priority = -2, MaxRetries = 4, TimeoutSeconds = 5 }],
        });

        var first = await fx.Broker.JobAsync(org, result.Succeeded[0].JobId!.Value);
        Assert.Equal(("q", 7, 1, 11), (first.QueueName, first.Priority, first.MaxRetries, first.TimeoutSeconds));
        var second = await fx.Broker.JobAsync(org, result.Succeeded[1].JobId!.Value);
        Assert.Equal((-2, 4, 5), (second.Priority, second.MaxRetries, second.TimeoutSeconds));
    }

    [Fact]
    public async Task Duplicate_keys_in_one_batch_and_against_existing_jobs_resolve_to_one_job()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var existing = await fx.Broker.EnqueueAsync(org, Job(key: "old"));
        var result = await fx.Broker.EnqueueBulkAsync(org, new BulkEnqueueRequest
        {
            QueueName = "q",
            Jobs =
            [
                new JobSpec { Payload = Json("{}"), IdempotencyKey = "new" },
                new JobSpec { Payload = Json("{}"), IdempotencyKey = "old" },
                new JobSpec { Payload = Json("{}"), IdempotencyKey = "new" },
                new JobSpec { Payload = Json("{}") },
            ],
        });

        Assert.Empty(result.Failed);
        var items = result.Succeeded;
        Assert.True(items[0].Created);
        Assert.Equal((existing.Id, false), (items[1].JobId!.Value, items[1].Created));
        Assert.Equal((items[0].JobId, false), (items[2].JobId, items[2].Created));
        Assert.True(items[3].Created);
        Assert.Equal(3, (await fx.Broker.GetJobCountsAsync(org)).Total);
    }

    [Fact]
    public async Task Accepted_items_are_written_as_one_record()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var request = Bulk(40, item: i => new JobSpec { Payload = Json("{}"), Priority = i == 7 ? 999 : null });
        var result = await fx.Broker.EnqueueBulkAsync(org, request);
        Assert.Equal(39, result.Succeeded.Count);
        await fx.Broker.DisposeAsync();

        var enqueued = ReadLog(fx).Where(r => r[0] == (byte)RecordType.JobsEnqueued).ToList();
        var record = Assert.Single(enqueued);
        var reader = new RecordReader(record);
        reader.ReadByte();
        reader.ReadByte();
        reader.ReadInt64();
        Assert.Equal(org, reader.ReadString());
        Assert.Equal("q", reader.ReadString());
        Assert.Equal(39, reader.ReadInt32());
    }

    [Fact]
    public async Task Crash_while_the_batch_is_unsynced_keeps_all_of_it_or_none()
    {
        var outcomes = new HashSet<int>();
        foreach (var mode in new[] { CrashMode.KeepPrefix, CrashMode.Torn })
        {
            for (var seed = 0; seed < 12; seed++)
            {
                // Without fsync the record is acknowledged before it is durable, so the crash can cut it anywhere.
                await using var fx = new BrokerFixture(durability: DurabilityPolicy.None);
                var org = await fx.CreateOrgAsync();
                await fx.RestartAsync();
                var random = new Random(seed);
                var result = await fx.Broker.EnqueueBulkAsync(org, Bulk(60, item: _ =>
                {
                    var payload = new byte[700];
                    random.NextBytes(payload);
                    return new JobSpec { Payload = payload };
                }));
                Assert.Equal(60, result.Succeeded.Count);

                await fx.CrashAsync(seed, mode);
                var survivors = (await fx.Broker.GetJobCountsAsync(org)).Total;
                Assert.True(survivors is 0 or 60, $"{survivors} of 60 jobs survived ({mode}, seed {seed})");
                outcomes.Add((int)survivors);
                foreach (var item in result.Succeeded)
                {
                    Assert.Equal(survivors == 60, await fx.Broker.GetJobAsync(org, item.JobId!.Value) is not null);
                }
            }
        }

        // Both outcomes occur, so the crashes really did land inside the record.
        Assert.Equal([0, 60], outcomes.Order());
    }

    [Fact]
    public async Task Acknowledged_batch_survives_a_crash_whole()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await fx.Broker.EnqueueBulkAsync(org, Bulk(100));
        await fx.CrashAsync(mode: CrashMode.Torn);
        Assert.Equal(100, (await fx.Broker.GetJobCountsAsync(org)).Pending);
    }
}

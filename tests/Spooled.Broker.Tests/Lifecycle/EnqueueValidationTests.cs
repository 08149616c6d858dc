using Spooled.Broker.Tests.Support;
using static Spooled.Broker.Tests.Support.LifecycleHelpers;

namespace Spooled.Broker.Tests.Lifecycle;

public sealed class EnqueueValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("emoji\U0001F600")]
    public async Task Queue_name_outside_the_charset_is_refused(string name)
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await InvalidAsync("queue_name", () => fx.Broker.EnqueueAsync(org, Job(name)));
        Assert.Equal(0, (await fx.Broker.GetJobCountsAsync(org)).Total);
    }

    [Fact]
    public async Task Queue_name_length_is_1_to_100()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        await InvalidAsync("queue_name", () => fx.Broker.EnqueueAsync(org, Job(new string('a', 101))));
        Assert.True((await fx.Broker.EnqueueAsync(org, Job(new string('a', 100)))).Created);
        Assert.True((await fx.Broker.EnqueueAsync(org, Job("a"))).Created);
        Assert.True((await fx.Broker.EnqueueAsync(org, Job("Mixed_case-1.v2"))).Created);
    }

    [Fact]
    public async Task Payload_over_one_mebibyte_is_too_large()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var error = await RefusedAsync(BrokerErrorCode.PayloadTooLarge, () =>
            fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = new byte[(1024 * 1024) + 1] }));
        Assert.Contains(error.Details!, d => d.Field == "payload");

        var exact = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = new byte[1024 * 1024] });
        Assert.Equal(1024 * 1024, (await fx.Broker.JobAsync(org, exact.Id)).Payload.Length);
    }

    [Theory]
    [InlineData(-101, false)]
    [InlineData(101, false)]
    [InlineData(-100, true)]
    [InlineData(100, true)]
    public async Task Priority_is_minus_100_to_100(int priority, bool valid)
    {
        await AssertFieldAsync("priority", valid, new JobSpec { QueueName = "q", Payload = Json("{}"), Priority = priority });
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(101, false)]
    [InlineData(0, true)]
    [InlineData(100, true)]
    public async Task Max_retries_is_0_to_100(int maxRetries, bool valid)
    {
        await AssertFieldAsync("max_retries", valid, new JobSpec { QueueName = "q", Payload = Json("{}"), MaxRetries = maxRetries });
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(86_401, false)]
    [InlineData(1, true)]
    [InlineData(86_400, true)]
    public async Task Timeout_is_1_to_86400_seconds(int timeout, bool valid)
    {
        await AssertFieldAsync("timeout_seconds", valid, new JobSpec { QueueName = "q", Payload = Json("{}"), TimeoutSeconds = timeout });
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(256, false)]
    [InlineData(1, true)]
    [InlineData(255, true)]
    public async Task Idempotency_key_is_1_to_255_characters(int length, bool valid)
    {
        await AssertFieldAsync("idempotency_key", valid, new JobSpec { QueueName = "q", Payload = Json("{}"), IdempotencyKey = new string('k', length) });
    }

    [Theory]
    [InlineData(-60, false)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public async Task Expires_at_must_be_in_the_future(int secondsFromNow, bool valid)
    {
        var spec = new JobSpec { QueueName = "q", Payload = Json("{}"), ExpiresAt = BrokerFixture.Epoch.AddSeconds(secondsFromNow) };
        await AssertFieldAsync("expires_at", valid, spec);
    }

    [Theory]
    [InlineData("not a url", false)]
    [InlineData("/relative/path", false)]
    [InlineData("ftp://example.com/hook", false)]
    [InlineData("mailto:ops@example.com", false)]
    [InlineData("http://example.com/hook", true)]
    [InlineData("https://example.com/hook?x=1", true)]
    public async Task Completion_webhook_must_be_an_absolute_http_url(string url, bool valid)
    {
        await AssertFieldAsync("completion_webhook", valid, new JobSpec { QueueName = "q", Payload = Json("{}"), CompletionWebhook = url });
    }

    [Fact]
    public async Task Parent_job_must_be_a_job_of_the_same_organization()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var other = await fx.CreateOrgAsync("other");
        var foreignParent = await fx.Broker.AddJobAsync(other);
        var parent = await fx.Broker.AddJobAsync(org);

        await InvalidAsync("parent_job_id", () => fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ParentJobId = Guid.NewGuid() }));
        await InvalidAsync("parent_job_id", () => fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ParentJobId = foreignParent }));

        var child = await fx.Broker.EnqueueAsync(org, new JobSpec { QueueName = "q", Payload = Json("{}"), ParentJobId = parent });
        Assert.Equal(parent, (await fx.Broker.JobAsync(org, child.Id)).ParentJobId);
        Assert.Equal(1, (await fx.Broker.GetJobCountsAsync(other)).Total);
    }

    [Fact]
    public async Task Every_failed_field_is_listed_and_nothing_is_written()
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        var error = await InvalidAsync("priority", () => fx.Broker.EnqueueAsync(org, new JobSpec
        {
            QueueName = "q",
            Payload = Json("{}"),
            Priority = 1000,
            MaxRetries = -5,
            TimeoutSeconds = 0,
            IdempotencyKey = "",
            CompletionWebhook = "nope",
        }));
        Assert.Equal(
            new[] { "completion_webhook", "idempotency_key", "max_retries", "priority", "timeout_seconds" },
            error.Details!.Select(d => d.Field).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(0, (await fx.Broker.GetJobCountsAsync(org)).Total);
        Assert.Empty(await fx.Broker.ListQueuesAsync(org));
    }

    [Fact]
    public async Task Unknown_organization_is_not_found()
    {
        await using var fx = new BrokerFixture();
        await RefusedAsync(BrokerErrorCode.NotFound, () => fx.Broker.EnqueueAsync("no-such-org", Job()));
    }

    private static async Task AssertFieldAsync(string field, bool valid, JobSpec spec)
    {
        await using var fx = new BrokerFixture();
        var org = await fx.CreateOrgAsync();
        if (valid)
        {
            var result = await fx.Broker.EnqueueAsync(org, spec);
            Assert.True(result.Created);
            Assert.NotNull(await fx.Broker.GetJobAsync(org, result.Id));
        }
        else
        {
            await InvalidAsync(field, () => fx.Broker.EnqueueAsync(org, spec));
            Assert.Equal(0, (await fx.Broker.GetJobCountsAsync(org)).Total);
        }
    }
}

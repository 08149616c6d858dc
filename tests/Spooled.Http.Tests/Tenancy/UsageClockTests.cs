using Microsoft.Extensions.Time.Testing;
using Spooled.Broker;
using Spooled.Http.Tests.Support;
using static Spooled.Http.Tests.Tenancy.Wire;

namespace Spooled.Http.Tests.Tenancy;

public sealed class UsageClockTests
{
    [Fact]
    public async Task Jobs_today_start_at_midnight_utc_and_recent_activity_covers_the_last_hour()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2031, 3, 10, 23, 30, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(time: time);
        var (orgId, key) = await RegisterAsync(server);
        using var owner = server.Client(key);
        for (var i = 0; i < 5; i++)
        {
            await EnqueueAsync(owner, "late");
        }

        time.Advance(TimeSpan.FromMinutes(61));
        for (var i = 0; i < 7; i++)
        {
            await EnqueueAsync(owner, "early");
        }

        var claimed = await server.Broker.ClaimAsync(orgId, new ClaimRequest { QueueName = "early", WorkerId = "w1", Limit = 2 });
        await server.Broker.CompleteAsync(orgId, claimed[0].Id, "w1", claimed[0].LeaseId, null);
        await server.Broker.FailAsync(orgId, claimed[1].Id, "w1", claimed[1].LeaseId, "boom"); // Retries left: back to pending.

        var usage = await GetJsonAsync(owner, "/api/v1/organizations/usage");
        Assert.Equal(7, usage.GetProperty("usage").GetProperty("jobs_today").GetProperty("current").GetInt64());
        Assert.Equal(11, usage.GetProperty("usage").GetProperty("active_jobs").GetProperty("current").GetInt64());

        var activity = (await GetJsonAsync(owner, "/api/v1/dashboard")).GetProperty("recent_activity");
        Assert.Equal(7, activity.GetProperty("jobs_created_1h").GetInt64());
        Assert.Equal(1, activity.GetProperty("jobs_completed_1h").GetInt64());
        Assert.Equal(0, activity.GetProperty("jobs_failed_1h").GetInt64());

        var dashboard = await GetJsonAsync(owner, "/api/v1/dashboard");
        Assert.Equal(1, dashboard.GetProperty("jobs").GetProperty("completed_24h").GetInt64());
        Assert.Equal(1, dashboard.GetProperty("jobs").GetProperty("completed").GetInt64());
    }
}

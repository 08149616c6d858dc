using System.Net;
using static Spooled.Http.Tests.Tenancy.Wire;

namespace Spooled.Http.Tests.Tenancy;

public sealed class DashboardTests(DefaultServerFixture fixture) : IClassFixture<DefaultServerFixture>
{
    [Fact]
    public async Task The_dashboard_summarises_only_the_callers_organization()
    {
        var (orgId, key) = await RegisterAsync(fixture.Server);
        var (_, otherKey) = await RegisterAsync(fixture.Server);
        using var owner = fixture.Server.Client(key);
        using var other = fixture.Server.Client(otherKey);
        var first = await EnqueueAsync(owner, "emails");
        await EnqueueAsync(owner, "emails");
        await EnqueueAsync(owner, "reports");
        await fixture.Server.Broker.PauseQueueAsync(orgId, "reports", "maintenance");
        await EnqueueAsync(other, "secret-queue");

        var dashboard = await GetJsonAsync(owner, "/api/v1/dashboard");
        AssertFields(dashboard, "system", "jobs", "queues", "workers", "recent_activity", "recent_jobs");

        var system = dashboard.GetProperty("system");
        AssertFields(system, "version", "uptime_seconds", "started_at", "database_status", "cache_status", "environment");
        Assert.Equal("healthy", system.GetProperty("database_status").GetString());
        AssertTimestamp(system.GetProperty("started_at"));

        var jobs = dashboard.GetProperty("jobs");
        AssertFields(jobs, "total", "pending", "scheduled", "processing", "completed", "failed", "deadletter", "cancelled", "completed_24h", "failed_24h", "avg_wait_time_ms", "avg_processing_time_ms");
        Assert.Equal(3, jobs.GetProperty("total").GetInt64());
        Assert.Equal(3, jobs.GetProperty("pending").GetInt64());

        var queues = dashboard.GetProperty("queues");
        Assert.Equal(2, queues.GetArrayLength());
        AssertFields(queues[0], "name", "pending", "scheduled", "processing", "paused");
        Assert.Equal("emails", queues[0].GetProperty("name").GetString()); // Busiest first.
        Assert.Equal(2, queues[0].GetProperty("pending").GetInt64());
        Assert.False(queues[0].GetProperty("paused").GetBoolean());
        Assert.True(queues[1].GetProperty("paused").GetBoolean());

        AssertFields(dashboard.GetProperty("workers"), "total", "healthy", "unhealthy", "degraded", "draining", "offline");
        var activity = dashboard.GetProperty("recent_activity");
        AssertFields(activity, "jobs_created_1h", "jobs_completed_1h", "jobs_failed_1h");
        Assert.Equal(3, activity.GetProperty("jobs_created_1h").GetInt64());
        Assert.Equal(0, activity.GetProperty("jobs_completed_1h").GetInt64());

        var recent = dashboard.GetProperty("recent_jobs");
        Assert.Equal(3, recent.GetArrayLength());
        Assert.Equal(first, recent[2].GetProperty("id").GetString());

        using var anonymous = fixture.Server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(anonymous, "/api/v1/dashboard"));
    }
}

using System.Net;
using Spooled.Http.Tests.Support;
using static Spooled.Http.Tests.WorkerPath.Wire;

namespace Spooled.Http.Tests.Jobs;

public sealed class RestartTests
{
    [Fact]
    public async Task After_a_restart_jobs_keys_queue_configs_and_leases_are_as_before()
    {
        await using var server = await TestServer.StartAsync();
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        var extra = (await PostAsync(client, "/api/v1/api-keys", """{"name":"ci","queues":["emails"]}""", HttpStatusCode.Created)).GetProperty("key").GetString()!;
        await ReadAsync(await client.PutAsync("/api/v1/queues/emails/config", Body("""{"max_retries":7}""")));
        await PostAsync(client, "/api/v1/queues/reports/pause", """{"reason":"month end"}""");
        var id = (await PostAsync(client, "/api/v1/jobs", """{"queue_name":"emails","payload":{"to":"a"}}""", HttpStatusCode.Created)).GetProperty("id").GetString();
        var claimed = (await PostAsync(client, "/api/v1/jobs/claim", """{"queue_name":"emails","worker_id":"w1","lease_duration_secs":600}""")).GetProperty("jobs")[0];
        var lease = claimed.GetProperty("lease_id").GetString();

        await server.RestartAsync();

        using var again = server.Client(extra);
        var job = await GetAsync(again, $"/api/v1/jobs/{id}");
        Assert.Equal("processing", job.GetProperty("status").GetString());
        Assert.Equal(lease, job.GetProperty("lease_id").GetString());
        Assert.Equal(7, job.GetProperty("max_retries").GetInt32());
        Assert.Equal(7, (await GetAsync(again, "/api/v1/queues/emails")).GetProperty("max_retries").GetInt32());
        var reports = await GetAsync(again, "/api/v1/queues/reports");
        Assert.False(reports.GetProperty("enabled").GetBoolean());
        Assert.Equal("month end", reports.GetProperty("paused_reason").GetString());

        var done = await PostAsync(again, $"/api/v1/jobs/{id}/complete", $$$"""{"worker_id":"w1","lease_id":"{{{lease}}}","result":{"ok":true}}""");
        Assert.True(done.GetProperty("success").GetBoolean());
        Assert.Equal("completed", (await GetAsync(again, $"/api/v1/jobs/{id}")).GetProperty("status").GetString());
    }
}

using System.Net;
using Spooled.Http.Tests.WorkerPath;
using static Spooled.Http.Tests.WorkerPath.Wire;

namespace Spooled.Http.Tests.Jobs;

/// <summary>Pins the field names of every job route's success body (what the SDKs parse).</summary>
public sealed class JobRouteShapeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Every_job_route_answers_in_the_contract_shape()
    {
        var (client, orgId) = await fixture.NewTenantAsync();
        var created = await PostAsync(client, "/api/v1/jobs", """{"queue_name":"q","payload":{"n":1},"tags":["a"],"idempotency_key":"k1"}""", HttpStatusCode.Created);
        Shape(created, "id", "created");
        Assert.True(created.GetProperty("created").GetBoolean());
        var id = created.GetProperty("id").GetString();

        var duplicate = await PostAsync(client, "/api/v1/jobs", """{"queue_name":"other","payload":2,"idempotency_key":"k1"}""", HttpStatusCode.OK);
        Assert.Equal(id, duplicate.GetProperty("id").GetString());
        Assert.False(duplicate.GetProperty("created").GetBoolean());

        var job = await GetAsync(client, $"/api/v1/jobs/{id}");
        Shape(job, "id", "organization_id", "queue_name", "status", "payload", "result", "retry_count", "max_retries", "last_error", "created_at", "scheduled_at", "started_at", "completed_at", "expires_at", "priority", "tags", "timeout_seconds", "parent_job_id", "completion_webhook", "assigned_worker_id", "lease_id", "lease_expires_at", "idempotency_key", "updated_at", "workflow_id", "dependency_mode", "dependencies_met", "progress");
        Assert.Equal(orgId, job.GetProperty("organization_id").GetString());
        Assert.Equal(3, job.GetProperty("max_retries").GetInt32());
        Assert.Equal(300, job.GetProperty("timeout_seconds").GetInt32());
        Assert.Equal("""["a"]""", job.GetProperty("tags").GetRawText());

        var list = await GetAsync(client, "/api/v1/jobs?queue_name=q&status=pending&tag=a&order_by=priority&order_dir=asc");
        Assert.Equal(1, list.GetArrayLength());
        Shape(list[0], "id", "queue_name", "status", "priority", "retry_count", "created_at", "scheduled_at", "started_at", "completed_at");

        var priority = await ReadAsync(await client.PutAsync($"/api/v1/jobs/{id}/priority", Body("""{"priority":7}""")));
        Shape(priority, "job_id", "old_priority", "new_priority");
        Assert.Equal(7, priority.GetProperty("new_priority").GetInt32());

        var stats = await GetAsync(client, "/api/v1/jobs/stats");
        Shape(stats, "pending", "scheduled", "processing", "completed", "failed", "deadletter", "cancelled", "total");
        Assert.Equal(1, stats.GetProperty("total").GetInt64());

        var bulk = await PostAsync(client, "/api/v1/jobs/bulk", """{"queue_name":"q","jobs":[{"payload":1},{"payload":2,"priority":500},{"payload":3,"idempotency_key":"k1"}],"default_priority":2}""");
        Shape(bulk, "succeeded", "failed", "total", "success_count", "failure_count");
        Assert.Equal((3, 2, 1), (bulk.GetProperty("total").GetInt32(), bulk.GetProperty("success_count").GetInt32(), bulk.GetProperty("failure_count").GetInt32()));
        Shape(bulk.GetProperty("succeeded")[0], "index", "job_id", "created");
        Shape(bulk.GetProperty("failed")[0], "index", "error");
        Assert.Equal(1, bulk.GetProperty("failed")[0].GetProperty("index").GetInt32());
        Assert.False(bulk.GetProperty("succeeded")[1].GetProperty("created").GetBoolean());

        var cancelled = await client.DeleteAsync($"/api/v1/jobs/{id}");
        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
    }

    [Fact]
    public async Task A_future_scheduled_at_makes_the_job_scheduled_and_the_idempotency_key_header_is_an_alias()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var at = DateTimeOffset.UtcNow.AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var id = (await PostAsync(client, "/api/v1/jobs", $$"""{"queue_name":"q","payload":1,"scheduled_at":"{{at}}"}""", HttpStatusCode.Created)).GetProperty("id").GetString();
        Assert.Equal("scheduled", (await GetAsync(client, $"/api/v1/jobs/{id}")).GetProperty("status").GetString());

        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = Body("""{"queue_name":"q","payload":1}""") };
        first.Headers.Add("Idempotency-Key", "header-key");
        var original = await ReadAsync(await client.SendAsync(first), HttpStatusCode.Created);
        using var second = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = Body("""{"queue_name":"q","payload":2}""") };
        second.Headers.Add("Idempotency-Key", "header-key");
        var again = await ReadAsync(await client.SendAsync(second), HttpStatusCode.OK);
        Assert.Equal(original.GetProperty("id").GetString(), again.GetProperty("id").GetString());
    }
}

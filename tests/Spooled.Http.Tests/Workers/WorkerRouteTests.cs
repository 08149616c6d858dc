using System.Net;
using System.Text.Json;
using Spooled.Http.Tests.WorkerPath;
using static Spooled.Http.Tests.WorkerPath.Wire;

namespace Spooled.Http.Tests.Workers;

/// <summary>Worker registry routes over real HTTP.</summary>
public sealed class WorkerRouteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static async Task<string> RegisterAsync(HttpClient client, string body = """{"queue_name":"q","hostname":"host-1"}""") =>
        (await PostAsync(client, "/api/v1/workers/register", body, HttpStatusCode.Created)).GetProperty("id").GetString()!;

    [Fact]
    public async Task Register_then_list_and_read_with_every_field_name_the_sdks_read()
    {
        var (client, orgId) = await fixture.NewTenantAsync();
        var registered = await PostAsync(client, "/api/v1/workers/register", """{"queue_name":"emails","hostname":"ip-10-0-0-1.internal","worker_type":"python","max_concurrency":8,"metadata":{"region": "eu","tags":["a"]},"version":"1.1.0"}""", HttpStatusCode.Created);
        Shape(registered, "id", "queue_name", "lease_duration_secs", "heartbeat_interval_secs");
        var id = registered.GetProperty("id").GetString()!;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal("emails", registered.GetProperty("queue_name").GetString());
        Assert.Equal(30, registered.GetProperty("lease_duration_secs").GetInt32());
        Assert.True(registered.GetProperty("heartbeat_interval_secs").GetInt32() > 0);

        var item = Assert.Single((await GetAsync(client, "/api/v1/workers")).EnumerateArray());
        Shape(item, "id", "queue_name", "hostname", "status", "current_jobs", "max_concurrency", "last_heartbeat");
        Assert.Equal("healthy", item.GetProperty("status").GetString());
        Assert.Equal(8, item.GetProperty("max_concurrency").GetInt32());
        Assert.EndsWith("Z", item.GetProperty("last_heartbeat").GetString(), StringComparison.Ordinal);

        var worker = await GetAsync(client, $"/api/v1/workers/{id}");
        Shape(
            worker,
            "id", "organization_id", "queue_name", "queue_names", "hostname", "worker_type", "max_concurrency", "max_concurrent_jobs", "current_jobs",
            "current_job_count", "status", "last_heartbeat", "metadata", "version", "created_at", "registered_at", "updated_at");
        Assert.Equal(orgId, worker.GetProperty("organization_id").GetString());
        Assert.Equal("""{"region": "eu","tags":["a"]}""", worker.GetProperty("metadata").GetRawText());
        Assert.Equal("python", worker.GetProperty("worker_type").GetString());
        Assert.Equal("1.1.0", worker.GetProperty("version").GetString());
        Assert.Equal(8, worker.GetProperty("max_concurrent_jobs").GetInt32());
        Assert.Equal("emails", Assert.Single(worker.GetProperty("queue_names").EnumerateArray()).GetString());
        Assert.Equal(worker.GetProperty("created_at").GetString(), worker.GetProperty("registered_at").GetString());

        var minimal = await GetAsync(client, $"/api/v1/workers/{await RegisterAsync(client)}");
        Assert.Equal("{}", minimal.GetProperty("metadata").GetRawText());
        Assert.Equal(5, minimal.GetProperty("max_concurrency").GetInt32());
        Assert.Equal(JsonValueKind.Null, minimal.GetProperty("worker_type").ValueKind);
    }

    [Fact]
    public async Task Registering_a_client_chosen_id_again_updates_that_worker()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var first = await RegisterAsync(client, """{"queue_name":"q","hostname":"h1","worker_id":"py-worker-1"}""");
        Assert.Equal("py-worker-1", first);
        Assert.Equal("py-worker-1", await RegisterAsync(client, """{"queue_name":"q2","hostname":"h2","worker_id":"py-worker-1"}"""));
        var worker = Assert.Single((await GetAsync(client, "/api/v1/workers")).EnumerateArray());
        Assert.Equal("q2", worker.GetProperty("queue_name").GetString());
        Assert.Equal("h2", worker.GetProperty("hostname").GetString());
    }

    [Fact]
    public async Task Heartbeat_records_jobs_status_and_metadata()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var id = await RegisterAsync(client, """{"queue_name":"q","hostname":"h","metadata":{"a":1}}""");

        var beat = await PostAsync(client, $"/api/v1/workers/{id}/heartbeat", """{"current_jobs":3,"status":"draining","metadata":{"b":2}}""");
        Shape(beat, "success");
        var worker = await GetAsync(client, $"/api/v1/workers/{id}");
        Assert.Equal(3, worker.GetProperty("current_jobs").GetInt32());
        Assert.Equal(3, worker.GetProperty("current_job_count").GetInt32());
        Assert.Equal("draining", worker.GetProperty("status").GetString());
        Assert.Equal("""{"b":2}""", worker.GetProperty("metadata").GetRawText());

        // Go's statuses are outside the enum; the wire only ever shows the four documented ones.
        await PostAsync(client, $"/api/v1/workers/{id}/heartbeat", """{"current_jobs":0,"status":"active"}""");
        worker = await GetAsync(client, $"/api/v1/workers/{id}");
        Assert.Equal("healthy", worker.GetProperty("status").GetString());
        Assert.Equal("""{"b":2}""", worker.GetProperty("metadata").GetRawText()); // Kept when not sent.
        await PostAsync(client, $"/api/v1/workers/{id}/heartbeat", """{"current_jobs":1,"status":"degraded"}""");
        Assert.Equal("degraded", (await GetAsync(client, $"/api/v1/workers/{id}")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"hostname":"h"}""", "INVALID_JSON", "body")]
    [InlineData("""{"queue_name":"q"}""", "INVALID_JSON", "body")]
    [InlineData("""{"queue_name":"q","hostname":"h","max_concurrency":0}""", "VALIDATION_ERROR", "max_concurrency")]
    [InlineData("""{"queue_name":"q","hostname":"h","max_concurrency":101}""", "VALIDATION_ERROR", "max_concurrency")]
    [InlineData("""{"queue_name":"q","hostname":"h","max_concurrency":"5"}""", "INVALID_JSON", "max_concurrency")]
    [InlineData("""{"queue_name":"bad name","hostname":"h"}""", "VALIDATION_ERROR", "queue_name")]
    [InlineData("""{"queue_name":"q","hostname":""}""", "VALIDATION_ERROR", "hostname")]
    [InlineData("""{"queue_name":"q","hostname":"h","worker_type":"0123456789012345678901234567890123456789012345678901"}""", "VALIDATION_ERROR", "worker_type")]
    [InlineData("""{"queue_name":"q","hostname":"h","worker_id":""}""", "VALIDATION_ERROR", "worker_id")]
    [InlineData("""{"queue_name":"q","hostname":"h",""", "INVALID_JSON", null)]
    [InlineData("""null""", "INVALID_JSON", "body")]
    public async Task Register_rejects_bad_input(string body, string code, string? field)
    {
        var (client, _) = await fixture.NewTenantAsync();
        await PostErrorAsync(client, "/api/v1/workers/register", body, HttpStatusCode.BadRequest, code, field);
        Assert.Empty((await GetAsync(client, "/api/v1/workers")).EnumerateArray());
    }

    [Fact]
    public async Task Heartbeat_rejects_bad_input()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var id = await RegisterAsync(client);
        var path = $"/api/v1/workers/{id}/heartbeat";
        await PostErrorAsync(client, path, """{"status":"healthy"}""", HttpStatusCode.BadRequest, "INVALID_JSON", "body");
        await PostErrorAsync(client, path, """{"current_jobs":"two"}""", HttpStatusCode.BadRequest, "INVALID_JSON", "current_jobs");
        await PostErrorAsync(client, path, """{"current_jobs":-1}""", HttpStatusCode.BadRequest, "VALIDATION_ERROR", "current_jobs");
        await PostErrorAsync(client, path, """{"current_jobs":1""", HttpStatusCode.BadRequest, "INVALID_JSON");
        await ErrorAsync(await client.PostAsync(path, EmptyJson()), HttpStatusCode.BadRequest, "INVALID_JSON", "body");
        Assert.Equal(0, (await GetAsync(client, $"/api/v1/workers/{id}")).GetProperty("current_jobs").GetInt32());
    }

    [Fact]
    public async Task Unknown_and_other_tenants_worker_ids_are_404_on_every_route()
    {
        var (owner, _) = await fixture.NewTenantAsync();
        var (stranger, _) = await fixture.NewTenantAsync();
        var id = await RegisterAsync(owner);
        foreach (var (client, workerId) in new[] { (stranger, id), (owner, "no-such-worker"), (owner, Guid.NewGuid().ToString()) })
        {
            await ErrorAsync(await client.GetAsync($"/api/v1/workers/{workerId}"), HttpStatusCode.NotFound, "NOT_FOUND");
            await PostErrorAsync(client, $"/api/v1/workers/{workerId}/heartbeat", """{"current_jobs":1}""", HttpStatusCode.NotFound, "NOT_FOUND");
            await ErrorAsync(await client.PostAsync($"/api/v1/workers/{workerId}/deregister", null), HttpStatusCode.NotFound, "NOT_FOUND");
            await ErrorAsync(await client.DeleteAsync($"/api/v1/workers/{workerId}"), HttpStatusCode.NotFound, "NOT_FOUND");
        }

        Assert.Empty((await GetAsync(stranger, "/api/v1/workers")).EnumerateArray());
        Assert.Equal("healthy", (await GetAsync(owner, $"/api/v1/workers/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Deregister_leaves_another_tenants_jobs_under_a_same_named_worker_alone()
    {
        var (owner, _) = await fixture.NewTenantAsync();
        var (stranger, _) = await fixture.NewTenantAsync();
        await RegisterAsync(owner, """{"queue_name":"q","hostname":"h","worker_id":"shared"}""");
        await RegisterAsync(stranger, """{"queue_name":"q","hostname":"h","worker_id":"shared"}""");
        var job = await EnqueueAsync(owner, "q");
        Assert.Single(await ClaimAsync(owner, "q", "shared"));

        Assert.Equal(HttpStatusCode.NoContent, (await stranger.PostAsync("/api/v1/workers/shared/deregister", EmptyJson())).StatusCode);
        Assert.Equal("processing", await StatusAsync(owner, job));
        Assert.Equal("healthy", (await GetAsync(owner, "/api/v1/workers/shared")).GetProperty("status").GetString());
    }
}

using System.Net;
using System.Text.Json;
using Spooled.Http.Tests.WorkerPath;
using static Spooled.Http.Tests.WorkerPath.Wire;

namespace Spooled.Http.Tests.Queues;

/// <summary>Queue routes over real HTTP: shapes, partial configuration, pause variants, stats, delete.</summary>
public sealed class QueueRouteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string[] s_configFields =
    [
        "id", "organization_id", "queue_name", "max_retries", "default_timeout", "rate_limit", "enabled", "settings", "created_at", "updated_at",
        "backoff_base_secs", "backoff_max_secs", "backoff_jitter", "paused", "paused_at", "paused_reason",
    ];

    private static async Task<JsonElement> PutAsync(HttpClient client, string path, string json, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await client.PutAsync(path, Body(json)), expected);

    [Fact]
    public async Task List_has_every_queue_named_by_a_job_or_a_configuration_sorted_by_name()
    {
        var (client, orgId) = await fixture.NewTenantAsync();
        await EnqueueAsync(client, "zeta");
        await PutAsync(client, "/api/v1/queues/alpha/config", """{"max_retries":7}""");

        var list = await GetAsync(client, "/api/v1/queues");
        var items = list.EnumerateArray().ToList();
        Assert.Equal(new[] { "alpha", "zeta" }, items.Select(q => q.GetProperty("queue_name").GetString()));
        foreach (var item in items)
        {
            Shape(item, "queue_name", "max_retries", "default_timeout", "rate_limit", "enabled", "paused");
        }

        Assert.Equal(7, items[0].GetProperty("max_retries").GetInt32());
        Assert.Equal(3, items[1].GetProperty("max_retries").GetInt32());
        Assert.Equal(300, items[1].GetProperty("default_timeout").GetInt32());
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("rate_limit").ValueKind);
        Assert.True(items[1].GetProperty("enabled").GetBoolean());

        var queue = await GetAsync(client, "/api/v1/queues/zeta");
        Shape(queue, s_configFields);
        Assert.Equal(orgId, queue.GetProperty("organization_id").GetString());
        Assert.Equal("{}", queue.GetProperty("settings").GetRawText());
        Assert.EndsWith("Z", queue.GetProperty("created_at").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, queue.GetProperty("paused_at").ValueKind);
    }

    [Fact]
    public async Task Configuration_changes_only_the_fields_sent_on_either_path()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var first = await PutAsync(client, "/api/v1/queues/cfg/config", """{"queue_name":"ignored","max_retries":5,"rate_limit":10,"settings":{"team": "ops","n":[1]}}""");
        Shape(first, s_configFields);
        Assert.Equal("cfg", first.GetProperty("queue_name").GetString());
        Assert.Equal(5, first.GetProperty("max_retries").GetInt32());
        Assert.Equal(10, first.GetProperty("rate_limit").GetInt32());

        var second = await PutAsync(client, "/api/v1/queues/cfg", """{"default_timeout":60,"backoff_base_secs":2,"backoff_jitter":true}""");
        Assert.Equal(5, second.GetProperty("max_retries").GetInt32());
        Assert.Equal(60, second.GetProperty("default_timeout").GetInt32());
        Assert.Equal(10, second.GetProperty("rate_limit").GetInt32());
        Assert.Equal("""{"team": "ops","n":[1]}""", second.GetProperty("settings").GetRawText());
        Assert.Equal(2, second.GetProperty("backoff_base_secs").GetInt32());
        Assert.True(second.GetProperty("backoff_jitter").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());

        var cleared = await PutAsync(client, "/api/v1/queues/cfg/config", """{"rate_limit":null,"settings":null}""");
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("rate_limit").ValueKind);
        Assert.Equal("""{"team": "ops","n":[1]}""", cleared.GetProperty("settings").GetRawText());

        var paused = await PutAsync(client, "/api/v1/queues/cfg/config", """{"enabled":false}""");
        Assert.False(paused.GetProperty("enabled").GetBoolean());
        Assert.True(paused.GetProperty("paused").GetBoolean());
        var still = await ReadAsync(await client.PutAsync("/api/v1/queues/cfg/config", EmptyJson()));
        Assert.False(still.GetProperty("enabled").GetBoolean()); // Omitting `enabled` does not resume.
        Assert.Equal(60, (await GetAsync(client, "/api/v1/queues/cfg")).GetProperty("default_timeout").GetInt32());
    }

    [Theory]
    [InlineData("""{"max_retries":101}""", "VALIDATION_ERROR", "max_retries")]
    [InlineData("""{"max_retries":-1}""", "VALIDATION_ERROR", "max_retries")]
    [InlineData("""{"default_timeout":0}""", "VALIDATION_ERROR", "default_timeout")]
    [InlineData("""{"rate_limit":100001}""", "VALIDATION_ERROR", "rate_limit")]
    [InlineData("""{"rate_limit":"fast"}""", "INVALID_JSON", "rate_limit")]
    [InlineData("""{"rate_limit":1.5}""", "INVALID_JSON", "rate_limit")]
    [InlineData("""{"backoff_base_secs":100,"backoff_max_secs":10}""", "VALIDATION_ERROR", "backoff_max_secs")]
    [InlineData("""{"settings":"x"}""", "VALIDATION_ERROR", "settings")]
    [InlineData("""{"settings":[1]}""", "VALIDATION_ERROR", "settings")]
    [InlineData("""{"enabled":"yes"}""", "INVALID_JSON", "enabled")]
    [InlineData("""{"max_retries":""", "INVALID_JSON", null)]
    [InlineData("""7""", "INVALID_JSON", "body")]
    public async Task Configuration_rejects_bad_input_and_changes_nothing(string body, string code, string? field)
    {
        var (client, _) = await fixture.NewTenantAsync();
        await PutAsync(client, "/api/v1/queues/cfg/config", """{"max_retries":4}""");
        await ErrorAsync(await client.PutAsync("/api/v1/queues/cfg/config", Body(body)), HttpStatusCode.BadRequest, code, field);
        Assert.Equal(4, (await GetAsync(client, "/api/v1/queues/cfg")).GetProperty("max_retries").GetInt32());
    }

    [Fact]
    public async Task Pause_accepts_every_sdks_body_and_a_paused_queue_hands_out_nothing_until_resumed()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var id = await EnqueueAsync(client, "p");
        var bodies = new (HttpContent Content, string? Reason)[]
        {
            (EmptyJson(), null),
            (Body("{}"), null),
            (Body("""{"reason":null}"""), null),
            (Body("""{"reason":"deploy"}"""), "deploy"),
        };
        foreach (var (content, reason) in bodies)
        {
            var paused = await ReadAsync(await client.PostAsync("/api/v1/queues/p/pause", content));
            Shape(paused, "queue_name", "paused", "paused_at", "reason");
            Assert.Equal("p", paused.GetProperty("queue_name").GetString());
            Assert.True(paused.GetProperty("paused").GetBoolean());
            Assert.EndsWith("Z", paused.GetProperty("paused_at").GetString(), StringComparison.Ordinal);
            Assert.Equal(reason, paused.GetProperty("reason").GetString());
        }

        var view = await GetAsync(client, "/api/v1/queues/p");
        Assert.Equal("deploy", view.GetProperty("paused_reason").GetString());
        Assert.False(view.GetProperty("enabled").GetBoolean());
        Assert.Empty(await ClaimAsync(client, "p", "w"));
        await EnqueueAsync(client, "p"); // Enqueueing goes on while paused.

        var resumed = await ReadAsync(await client.PostAsync("/api/v1/queues/p/resume", null));
        Shape(resumed, "queue_name", "resumed", "paused_duration_secs");
        Assert.True(resumed.GetProperty("resumed").GetBoolean());
        Assert.True(resumed.GetProperty("paused_duration_secs").GetInt64() >= 0);
        Assert.Equal(id, (await ClaimAsync(client, "p", "w", limit: 2))[0].GetProperty("id").GetString());

        // Resuming a running queue is harmless; an SDK's empty JSON body is fine too.
        var again = await ReadAsync(await client.PostAsync("/api/v1/queues/p/resume", EmptyJson()));
        Assert.Equal(0, again.GetProperty("paused_duration_secs").GetInt64());
    }

    [Fact]
    public async Task Pause_rejects_bad_input()
    {
        var (client, _) = await fixture.NewTenantAsync();
        await PostErrorAsync(client, "/api/v1/queues/p/pause", $$"""{"reason":"{{new string('r', 501)}}"}""", HttpStatusCode.BadRequest, "VALIDATION_ERROR", "reason");
        await PostErrorAsync(client, "/api/v1/queues/p/pause", """{"reason":5}""", HttpStatusCode.BadRequest, "INVALID_JSON", "reason");
        await PostErrorAsync(client, "/api/v1/queues/p/pause", """{"reason":""", HttpStatusCode.BadRequest, "INVALID_JSON");
        await PostErrorAsync(client, "/api/v1/queues/bad%20name/pause", "{}", HttpStatusCode.BadRequest, "VALIDATION_ERROR", "queue_name");
        await ErrorAsync(await client.GetAsync("/api/v1/queues/p"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Stats_count_the_queues_jobs_and_workers()
    {
        var (client, _) = await fixture.NewTenantAsync();
        await PostAsync(client, "/api/v1/workers/register", """{"queue_name":"s","hostname":"h"}""", HttpStatusCode.Created);
        for (var i = 0; i < 4; i++)
        {
            await EnqueueAsync(client, "s");
        }

        // Months ahead: further than a timer can be armed in one go.
        await EnqueueAsync(client, "s", $$""","scheduled_at":"{{DateTime.UtcNow.AddDays(100):O}}" """);
        var claimed = await ClaimAsync(client, "s", "w", limit: 2);
        await PostAsync(client, $"/api/v1/jobs/{claimed[0].GetProperty("id").GetString()}/complete", """{"worker_id":"w"}""");

        var stats = await GetAsync(client, "/api/v1/queues/s/stats");
        Shape(stats, "queue_name", "pending_jobs", "processing_jobs", "completed_jobs_24h", "failed_jobs_24h", "avg_processing_time_ms", "max_job_age_seconds", "active_workers", "scheduled_jobs", "paused");
        Assert.Equal("s", stats.GetProperty("queue_name").GetString());
        Assert.Equal(2, stats.GetProperty("pending_jobs").GetInt64());
        Assert.Equal(1, stats.GetProperty("processing_jobs").GetInt64());
        Assert.Equal(1, stats.GetProperty("scheduled_jobs").GetInt64());
        Assert.Equal(1, stats.GetProperty("completed_jobs_24h").GetInt64());
        Assert.Equal(0, stats.GetProperty("failed_jobs_24h").GetInt64());
        Assert.True(stats.GetProperty("avg_processing_time_ms").TryGetInt64(out _), "a whole number of milliseconds");
        Assert.True(stats.GetProperty("max_job_age_seconds").GetInt64() >= 0);
        Assert.Equal(1, stats.GetProperty("active_workers").GetInt32());
        Assert.False(stats.GetProperty("paused").GetBoolean());

        var empty = await GetAsync(client, "/api/v1/queues/only-config/stats", HttpStatusCode.NotFound);
        Assert.Equal("NOT_FOUND", empty.GetProperty("code").GetString());
        await PutAsync(client, "/api/v1/queues/only-config/config", "{}");
        var idle = await GetAsync(client, "/api/v1/queues/only-config/stats");
        Assert.Equal(JsonValueKind.Null, idle.GetProperty("avg_processing_time_ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, idle.GetProperty("max_job_age_seconds").ValueKind);
    }

    [Fact]
    public async Task Delete_is_refused_while_jobs_are_active_and_forgets_the_configuration()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var id = await EnqueueAsync(client, "d");
        await PutAsync(client, "/api/v1/queues/d/config", """{"max_retries":9}""");
        await ErrorAsync(await client.DeleteAsync("/api/v1/queues/d"), HttpStatusCode.Conflict, "CONFLICT");

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/queues/d")).StatusCode);
        Assert.Equal(3, (await GetAsync(client, "/api/v1/queues/d")).GetProperty("max_retries").GetInt32()); // Its cancelled job keeps the name.

        await PutAsync(client, "/api/v1/queues/config-only/config", "{}");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/queues/config-only")).StatusCode);
        await ErrorAsync(await client.GetAsync("/api/v1/queues/config-only"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ErrorAsync(await client.DeleteAsync("/api/v1/queues/config-only"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("bad%20name")]
    [InlineData("-leading-dash")]
    [InlineData(".dot")]
    [InlineData("emoji%F0%9F%98%80")]
    public async Task Invalid_queue_names_are_400_on_every_route(string name)
    {
        var (client, _) = await fixture.NewTenantAsync();
        var bad = HttpStatusCode.BadRequest;
        await ErrorAsync(await client.GetAsync($"/api/v1/queues/{name}"), bad, "VALIDATION_ERROR", "queue_name");
        await ErrorAsync(await client.GetAsync($"/api/v1/queues/{name}/stats"), bad, "VALIDATION_ERROR", "queue_name");
        await ErrorAsync(await client.PutAsync($"/api/v1/queues/{name}/config", Body("{}")), bad, "VALIDATION_ERROR", "queue_name");
        await ErrorAsync(await client.PutAsync($"/api/v1/queues/{name}", Body("{}")), bad, "VALIDATION_ERROR", "queue_name");
        await ErrorAsync(await client.DeleteAsync($"/api/v1/queues/{name}"), bad, "VALIDATION_ERROR", "queue_name");
        await ErrorAsync(await client.PostAsync($"/api/v1/queues/{name}/pause", Body("{}")), bad, "VALIDATION_ERROR", "queue_name");
        await ErrorAsync(await client.PostAsync($"/api/v1/queues/{name}/resume", null), bad, "VALIDATION_ERROR", "queue_name");
    }

    [Fact]
    public async Task A_name_of_101_characters_is_invalid_and_100_is_fine()
    {
        var (client, _) = await fixture.NewTenantAsync();
        await ErrorAsync(await client.GetAsync($"/api/v1/queues/{new string('q', 101)}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "queue_name");
        await PutAsync(client, $"/api/v1/queues/{new string('q', 100)}/config", "{}");
    }

    [Fact]
    public async Task Another_tenants_queues_are_not_found_and_not_affected()
    {
        var (owner, _) = await fixture.NewTenantAsync();
        var (stranger, _) = await fixture.NewTenantAsync();
        await EnqueueAsync(owner, "mine");
        await PutAsync(owner, "/api/v1/queues/mine/config", """{"max_retries":8}""");

        await ErrorAsync(await stranger.GetAsync("/api/v1/queues/mine"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ErrorAsync(await stranger.GetAsync("/api/v1/queues/mine/stats"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ErrorAsync(await stranger.DeleteAsync("/api/v1/queues/mine"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ErrorAsync(await stranger.PostAsync("/api/v1/queues/mine/resume", null), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Empty((await GetAsync(stranger, "/api/v1/queues")).EnumerateArray());

        // Writes by name make the stranger's own queue of that name.
        await PutAsync(stranger, "/api/v1/queues/mine/config", """{"max_retries":1}""");
        await PostAsync(stranger, "/api/v1/queues/mine/pause", "{}");
        var ours = await GetAsync(owner, "/api/v1/queues/mine");
        Assert.Equal(8, ours.GetProperty("max_retries").GetInt32());
        Assert.True(ours.GetProperty("enabled").GetBoolean());
        Assert.Single(await ClaimAsync(owner, "mine", "w"));
    }
}

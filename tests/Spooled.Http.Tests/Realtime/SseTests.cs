using System.Net;
using Spooled.Http.Tests.Support;
using Spooled.Http.Tests.WorkerPath;

namespace Spooled.Http.Tests.Realtime;

/// <summary>
/// The SSE endpoints over real loopback connections: each event type with its envelope, the filters,
/// tenant isolation, the queue and job streams, resuming with Last-Event-ID, keep-alives, the stream
/// limits and the cut-off of a reader that falls behind.
/// </summary>
public sealed class SseTests
{
    private static async Task<string> EnqueueAsync(HttpClient client, string queue = "q")
    {
        var created = await Wire.PostAsync(client, "/api/v1/jobs", $"{{\"queue_name\":\"{queue}\",\"payload\":{{\"n\":1}}}}", HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    private static async Task<(string Id, string LeaseId)> ClaimAsync(HttpClient client, string queue = "q")
    {
        var claimed = await Wire.PostAsync(client, "/api/v1/jobs/claim", $"{{\"queue_name\":\"{queue}\",\"worker_id\":\"w\",\"limit\":1}}");
        var job = Assert.Single(claimed.GetProperty("jobs").EnumerateArray().ToList());
        return (job.GetProperty("id").GetString()!, job.GetProperty("lease_id").GetString()!);
    }

    private static void Envelope(SseFrame frame, string type, string? queue, string? jobId)
    {
        Assert.Equal(type, frame.Type);
        Assert.Equal(queue, frame.Top("queue_name"));
        Assert.Equal(jobId, frame.Top("job_id"));
        Assert.EndsWith("Z", frame.Data.GetProperty("timestamp").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_organization_stream_carries_every_event_type_with_its_envelope()
    {
        await using var server = await TestServer.StartAsync();
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        await using var stream = await SseReader.OpenAsync(client, "/api/v1/events");

        var health = await stream.NextAsync();
        Envelope(health!, "SystemHealth", null, null);
        Assert.Null(health!.Id); // Made by the stream itself: not a resumable broker event.

        var jobId = await EnqueueAsync(client);
        var created = await stream.NextAsync();
        Envelope(created!, "JobCreated", "q", jobId);
        Assert.Equal(0, created!.Data.GetProperty("priority").GetInt32());
        Assert.NotNull(created.Id);
        var pending = await stream.NextAsync();
        Envelope(pending!, "JobStatusChange", "q", jobId);
        Assert.Equal(("", "pending"), (pending!.Data.GetProperty("old_status").GetString(), pending.Data.GetProperty("new_status").GetString()));
        Assert.Equal(created.Id + 1, pending.Id);

        var (_, lease) = await ClaimAsync(client);
        await Wire.PostAsync(client, $"/api/v1/jobs/{jobId}/fail", $"{{\"worker_id\":\"w\",\"lease_id\":\"{lease}\",\"error\":\"boom\"}}");
        var failed = await stream.NextOfTypeAsync("JobFailed");
        Envelope(failed, "JobFailed", "q", jobId);
        Assert.Equal("boom", failed.Data.GetProperty("error").GetString());
        Assert.Equal(1, failed.Data.GetProperty("retry_count").GetInt32());
        Assert.True(failed.Data.GetProperty("will_retry").GetBoolean());

        var second = await EnqueueAsync(client, "other");
        var (claimedId, secondLease) = await ClaimAsync(client, "other");
        Assert.Equal(second, claimedId);
        await Wire.PostAsync(client, $"/api/v1/jobs/{second}/complete", $"{{\"worker_id\":\"w\",\"lease_id\":\"{secondLease}\"}}");
        var completed = await stream.NextOfTypeAsync("JobCompleted");
        Envelope(completed, "JobCompleted", "other", second);
        Assert.True(completed.Data.GetProperty("duration_ms").GetInt64() >= 0);

        await Wire.PostAsync(client, "/api/v1/queues/q/pause", "{\"reason\":\"deploy\"}");
        var paused = await stream.NextOfTypeAsync("QueuePaused");
        Envelope(paused, "QueuePaused", "q", null);
        Assert.Equal("deploy", paused.Data.GetProperty("reason").GetString());
        await Wire.PostAsync(client, "/api/v1/queues/q/resume", "{}");
        Envelope(await stream.NextOfTypeAsync("QueueResumed"), "QueueResumed", "q", null);

        await Wire.PostAsync(client, "/api/v1/workers/register", "{\"queue_name\":\"q\",\"hostname\":\"h\",\"worker_id\":\"w1\"}", HttpStatusCode.Created);
        var registered = await stream.NextOfTypeAsync("WorkerRegistered");
        Assert.Equal("w1", registered.Data.GetProperty("worker_id").GetString());
        await Wire.PostAsync(client, "/api/v1/workers/w1/heartbeat", "{\"current_jobs\":2,\"status\":\"healthy\"}");
        var heartbeat = await stream.NextOfTypeAsync("WorkerHeartbeat");
        Assert.Equal(("w1", 2), (heartbeat.Data.GetProperty("worker_id").GetString(), heartbeat.Data.GetProperty("current_jobs").GetInt32()));
        Assert.True((await client.PostAsync("/api/v1/workers/w1/deregister", Wire.Body("{}"))).IsSuccessStatusCode);
        Assert.Equal("w1", (await stream.NextOfTypeAsync("WorkerDeregistered")).Data.GetProperty("worker_id").GetString());
    }

    [Fact]
    public async Task An_access_token_opens_a_stream_as_an_API_key_does()
    {
        await using var server = await TestServer.StartAsync();
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        var login = await Wire.PostAsync(client, "/api/v1/auth/login", $"{{\"api_key\":\"{key}\"}}");
        using var withToken = server.Client(login.GetProperty("access_token").GetString());
        await using var stream = await SseReader.OpenAsync(withToken, "/api/v1/events?events=job.created");

        var jobId = await EnqueueAsync(client);

        Assert.Equal(jobId, (await stream.NextAsync())!.Top("job_id"));
        using var refresh = server.Client(login.GetProperty("refresh_token").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await refresh.GetAsync("/api/v1/events")).StatusCode);
    }

    [Fact]
    public async Task Filters_select_by_queue_job_and_type_and_a_bad_filter_is_a_400()
    {
        await using var server = await TestServer.StartAsync();
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        await using var byQueue = await SseReader.OpenAsync(client, "/api/v1/events?queue=b&events=job.created");
        await using var byType = await SseReader.OpenAsync(client, "/api/v1/events?events=JobStatusChange");

        await EnqueueAsync(client, "a");
        var inB = await EnqueueAsync(client, "b");

        var first = await byQueue.NextAsync();
        Envelope(first!, "JobCreated", "b", inB);
        var status = await byType.NextAsync(); // No SystemHealth: the type filter leaves it out.
        Assert.Equal("JobStatusChange", status!.Type);
        Assert.Equal("a", status.Top("queue_name"));

        await using var byJob = await SseReader.OpenAsync(client, $"/api/v1/events?job_id={inB}&events=job.status");
        var (claimedId, _) = await ClaimAsync(client, "a"); // Another job: filtered out.
        Assert.NotEqual(inB, claimedId);
        await ClaimAsync(client, "b");
        var mine = await byJob.NextAsync();
        Assert.Equal((inB, "processing"), (mine!.Top("job_id"), mine.Data.GetProperty("new_status").GetString()));

        await Wire.ErrorAsync(await client.GetAsync("/api/v1/events?queue=bad%20name"), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "queue");
        await Wire.ErrorAsync(await client.GetAsync("/api/v1/events?events=job.exploded"), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "events");
        await Wire.ErrorAsync(await client.GetAsync("/api/v1/events?job_id=42"), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "job_id");
    }

    [Fact]
    public async Task Another_tenants_events_never_arrive()
    {
        await using var server = await TestServer.StartAsync();
        var (_, mine) = await server.CreateTenantAsync();
        var (_, theirs) = await server.CreateTenantAsync();
        using var me = server.Client(mine);
        using var them = server.Client(theirs);
        await using var stream = await SseReader.OpenAsync(me, "/api/v1/events?events=job.created");
        await using var queueStream = await SseReader.OpenAsync(me, "/api/v1/events/queues/q?events=job.created");

        var theirJob = await EnqueueAsync(them);
        var myJob = await EnqueueAsync(me);

        Assert.Equal(myJob, (await stream.NextAsync())!.Top("job_id"));
        Assert.Equal(myJob, (await queueStream.NextAsync())!.Top("job_id"));
        Assert.Equal(HttpStatusCode.NotFound, (await me.GetAsync($"/api/v1/events/jobs/{theirJob}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client().GetAsync("/api/v1/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client().GetAsync($"/api/v1/events?api_key={mine}")).StatusCode);
    }

    [Fact]
    public async Task The_queue_stream_sends_stats_at_once_and_only_that_queues_events()
    {
        await using var server = await TestServer.StartAsync();
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        await EnqueueAsync(client, "q");
        await EnqueueAsync(client, "q");
        await using var stream = await SseReader.OpenAsync(client, "/api/v1/events/queues/q");

        var stats = await stream.NextAsync();
        Envelope(stats!, "QueueStats", "q", null);
        Assert.Equal(2, stats!.Data.GetProperty("pending").GetInt64());
        Assert.Equal(0, stats.Data.GetProperty("processing").GetInt64());

        await EnqueueAsync(client, "elsewhere");
        var inQ = await EnqueueAsync(client, "q");
        var next = await stream.NextAsync();
        Envelope(next!, "JobCreated", "q", inQ);
        Await400(await client.GetAsync("/api/v1/events/queues/-bad"));
    }

    [Fact]
    public async Task A_quiet_queue_stream_sends_its_stats_at_least_every_five_seconds()
    {
        await using var server = await TestServer.StartAsync();
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);

        // Quiet streams are woken once a second from when the first one opened; this one opens
        // half-way between two wakes, so its stats fall due between them.
        await using var earlier = await SseReader.OpenAsync(client, "/api/v1/events/queues/other");
        await Task.Delay(500);
        await using var stream = await SseReader.OpenAsync(client, "/api/v1/events/queues/q");

        Assert.Equal("QueueStats", (await stream.NextAsync())!.Type);
        var first = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal("QueueStats", (await stream.NextAsync())!.Type);

        // Nothing else happens on the queue: only the stream's own timing decides when stats come.
        Assert.InRange(first.Elapsed, TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(5.3));
    }

    private static void Await400(HttpResponseMessage response) => Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

    [Fact]
    public async Task The_job_stream_starts_with_the_current_status_and_closes_after_a_terminal_one()
    {
        await using var server = await TestServer.StartAsync();
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        var jobId = await EnqueueAsync(client);
        await using var stream = await SseReader.OpenAsync(client, $"/api/v1/events/jobs/{jobId}");

        var first = await stream.NextAsync();
        Envelope(first!, "JobStatusChange", "q", jobId);
        Assert.Equal(("", "pending"), (first!.Data.GetProperty("old_status").GetString(), first.Data.GetProperty("new_status").GetString()));

        var (_, lease) = await ClaimAsync(client);
        var processing = await stream.NextAsync();
        Assert.Equal(("pending", "processing"), (processing!.Data.GetProperty("old_status").GetString(), processing.Data.GetProperty("new_status").GetString()));
        await Wire.PostAsync(client, $"/api/v1/jobs/{jobId}/complete", $"{{\"worker_id\":\"w\",\"lease_id\":\"{lease}\"}}");
        var done = await stream.NextAsync();
        Assert.Equal("completed", done!.Data.GetProperty("new_status").GetString());
        Assert.Null(await stream.NextAsync()); // Closed by the server.

        // A finished job's stream says so and closes at once; a malformed or unknown id is a 404.
        await using var again = await SseReader.OpenAsync(client, $"/api/v1/events/jobs/{jobId}");
        Assert.Equal("completed", (await again.NextAsync())!.Data.GetProperty("new_status").GetString());
        Assert.Null(await again.NextAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/events/jobs/not-a-uuid")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/events/jobs/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Reconnecting_with_Last_Event_ID_resumes_after_the_last_event_seen()
    {
        await using var server = await TestServer.StartAsync();
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        long lastSeen;
        await using (var stream = await SseReader.OpenAsync(client, "/api/v1/events?events=job.created"))
        {
            await EnqueueAsync(client);
            lastSeen = (await stream.NextAsync())!.Id!.Value;
        }

        var missed = new[] { await EnqueueAsync(client), await EnqueueAsync(client) };
        await using var resumed = await SseReader.OpenAsync(client, "/api/v1/events?events=job.created", lastEventId: lastSeen);
        var first = await resumed.NextAsync();
        var second = await resumed.NextAsync();
        Assert.Equal(missed, new[] { first!.Top("job_id")!, second!.Top("job_id")! });
        Assert.True(first.Id > lastSeen);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/events?last_event_id=yesterday")).StatusCode);
    }

    [Fact]
    public async Task An_idle_stream_sends_keep_alive_comments()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Realtime:KeepAliveSeconds"] = "1" });
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        await using var stream = await SseReader.OpenAsync(client, "/api/v1/events?events=job.created");
        await Task.Delay(2500);
        var jobId = await EnqueueAsync(client);

        Assert.Equal(jobId, (await stream.NextAsync())!.Top("job_id"));
        Assert.InRange(stream.Comments, 1, 4);
    }

    [Fact]
    public async Task Streams_beyond_the_limit_are_refused_with_429_until_one_closes()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Realtime:MaxStreamsPerKey"] = "1" });
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        var first = await SseReader.OpenAsync(client, "/api/v1/events");

        var refused = await client.GetAsync("/api/v1/events/queues/q");
        await Wire.ErrorAsync(refused, HttpStatusCode.TooManyRequests, "TOO_MANY_STREAMS");
        Assert.True(refused.Headers.Contains("Retry-After"));

        await first.DisposeAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            using var response = await client.GetAsync("/api/v1/events/queues/q", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            await Task.Delay(50, deadline.Token); // The server sees the first stream's end a moment later.
        }
    }

    [Fact]
    public async Task A_reader_that_keeps_reading_gets_a_burst_larger_than_the_buffer_whole()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Realtime:StreamBufferEvents"] = "16" });
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        await using var stream = await SseReader.OpenAsync(client, "/api/v1/events/queues/q?events=job.created");

        // 100 jobs at once are 200 events published together: far more than 16, but the client
        // reads, so the stream is behind only while it writes them, and is not cut off.
        var items = string.Join(',', Enumerable.Repeat("{\"payload\":{\"n\":1}}", 100));
        await Wire.PostAsync(client, "/api/v1/jobs/bulk", $"{{\"queue_name\":\"q\",\"jobs\":[{items}]}}");

        for (var i = 0; i < 100; i++)
        {
            var frame = await stream.NextAsync();
            Assert.Equal("JobCreated", frame!.Type);
        }

        Assert.True(server.Broker.Events.HasSubscribers);
    }

    [Fact]
    public async Task A_reader_that_falls_behind_is_cut_off_with_an_error()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Realtime:StreamBufferEvents"] = "16" });
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        await using var stream = await SseReader.OpenAsync(client, "/api/v1/events?events=job.created");

        // Not reading: the socket's buffers fill, then the stream's 16 events, then it is cut off.
        var items = string.Join(',', Enumerable.Repeat("{\"payload\":{\"pad\":\"" + new string('x', 200) + "\"}}", 100));
        var subscriptionCut = false;
        for (var batch = 0; batch < 400 && !subscriptionCut; batch++)
        {
            await Wire.PostAsync(client, "/api/v1/jobs/bulk", $"{{\"queue_name\":\"q\",\"jobs\":[{items}]}}");
            subscriptionCut = batch % 20 == 19 && !server.Broker.Events.HasSubscribers;
        }

        Assert.True(subscriptionCut, "the slow stream was never cut off");
        var events = 0;
        SseFrame? last = null;
        while (await stream.NextAsync() is { } frame)
        {
            events++;
            last = frame;
        }

        Assert.Equal("Error", last!.Type);
        Assert.Contains("fell too far behind", last.Data.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(events < 400 * 100, $"{events} events: the stream was not cut off");
    }
}

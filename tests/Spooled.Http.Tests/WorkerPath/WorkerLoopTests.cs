using System.Diagnostics;
using System.Net;
using System.Text.Json;
using static Spooled.Http.Tests.WorkerPath.Wire;

namespace Spooled.Http.Tests.WorkerPath;

/// <summary>The job's life as the SDK workers drive it, over real HTTP.</summary>
public sealed class WorkerLoopTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Register_claim_heartbeat_complete_as_the_sdk_worker_loop_does()
    {
        var (client, orgId) = await fixture.NewTenantAsync();
        var registered = await PostAsync(client, "/api/v1/workers/register", """{"queue_name":"emails","hostname":"host-1","worker_type":"nodejs","max_concurrency":5,"metadata":{},"version":"1.0.40"}""", HttpStatusCode.Created);
        var workerId = registered.GetProperty("id").GetString()!;
        var jobId = await EnqueueAsync(client, "emails", ""","priority":7""");

        var claim = await PostAsync(client, "/api/v1/jobs/claim", $$"""{"queue_name":"emails","worker_id":"{{workerId}}","limit":5,"lease_duration_secs":30}""");
        Shape(claim, "jobs");
        var job = Assert.Single(claim.GetProperty("jobs").EnumerateArray());
        Shape(job, "id", "queue_name", "payload", "retry_count", "max_retries", "timeout_seconds", "lease_expires_at", "lease_id", "priority");
        Assert.Equal(jobId, job.GetProperty("id").GetString());
        Assert.Equal("""{"n":1}""", job.GetProperty("payload").GetRawText());
        Assert.Equal(7, job.GetProperty("priority").GetInt32());
        Assert.EndsWith("Z", job.GetProperty("lease_expires_at").GetString(), StringComparison.Ordinal);
        var leaseId = job.GetProperty("lease_id").GetString();
        var firstExpiry = job.GetProperty("lease_expires_at").GetDateTimeOffset();

        var held = await GetAsync(client, $"/api/v1/jobs/{jobId}");
        Assert.Equal("processing", held.GetProperty("status").GetString());
        Assert.Equal(workerId, held.GetProperty("assigned_worker_id").GetString());
        Assert.Equal(orgId, held.GetProperty("organization_id").GetString());

        var beat = await PostAsync(client, $"/api/v1/jobs/{jobId}/heartbeat", $$"""{"worker_id":"{{workerId}}","lease_duration_secs":600,"lease_id":"{{leaseId}}"}""");
        Shape(beat, "success", "lease_expires_at");
        Assert.True(beat.GetProperty("success").GetBoolean());
        Assert.True(beat.GetProperty("lease_expires_at").GetDateTimeOffset() > firstExpiry);

        var workerBeat = await PostAsync(client, $"/api/v1/workers/{workerId}/heartbeat", """{"current_jobs":1,"status":"healthy"}""");
        Shape(workerBeat, "success");

        var done = await PostAsync(client, $"/api/v1/jobs/{jobId}/complete", $$"""{"worker_id":"{{workerId}}","result":{"sent": true, "ids":[1,2]},"lease_id":"{{leaseId}}"}""");
        Shape(done, "success");
        Assert.True(done.GetProperty("success").GetBoolean());

        var completed = await GetAsync(client, $"/api/v1/jobs/{jobId}");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal("""{"sent": true, "ids":[1,2]}""", completed.GetProperty("result").GetRawText());

        // Completing twice is a lease the worker no longer holds.
        await PostErrorAsync(client, $"/api/v1/jobs/{jobId}/complete", $$"""{"worker_id":"{{workerId}}","lease_id":"{{leaseId}}"}""", HttpStatusCode.Conflict, "LEASE_EXPIRED");
    }

    [Fact]
    public async Task Fail_retries_after_backoff_then_dead_letters_and_a_manual_retry_makes_the_job_claimable_again()
    {
        var (client, _) = await fixture.NewTenantAsync();
        await ReadAsync(await client.PutAsync("/api/v1/queues/retry-q/config", Body("""{"backoff_base_secs":1,"backoff_max_secs":1}""")));
        var jobId = await EnqueueAsync(client, "retry-q", ""","max_retries":1""");

        var first = Assert.Single(await ClaimAsync(client, "retry-q", "w1"));
        var failedAt = DateTimeOffset.UtcNow;
        var failed = await PostAsync(client, $"/api/v1/jobs/{jobId}/fail", $$"""{"worker_id":"w1","error":"smtp timeout","lease_id":"{{first.GetProperty("lease_id").GetString()}}"}""");
        Shape(failed, "success", "will_retry", "next_retry_delay_secs");
        Assert.True(failed.GetProperty("will_retry").GetBoolean());
        Assert.InRange(failed.GetProperty("next_retry_delay_secs").GetInt64(), 0, 1);

        var waiting = await GetAsync(client, $"/api/v1/jobs/{jobId}");
        Assert.Equal("pending", waiting.GetProperty("status").GetString());
        Assert.Equal(1, waiting.GetProperty("retry_count").GetInt32());
        Assert.Equal("smtp timeout", waiting.GetProperty("last_error").GetString());
        Assert.True(waiting.GetProperty("scheduled_at").GetDateTimeOffset() >= failedAt.AddMilliseconds(900), "the retry waits for the backoff");
        Assert.Equal(JsonValueKind.Null, waiting.GetProperty("lease_id").ValueKind);

        // Not claimable before the backoff; a long poll is answered when it runs out.
        Assert.Empty(await ClaimAsync(client, "retry-q", "w2"));
        var clock = Stopwatch.StartNew();
        var second = Assert.Single(await ClaimAsync(client, "retry-q", "w2", wait: 10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the job became claimable after {clock.Elapsed}");
        Assert.Equal(1, second.GetProperty("retry_count").GetInt32());
        var last = await PostAsync(client, $"/api/v1/jobs/{jobId}/fail", """{"worker_id":"w2","error":"smtp timeout again"}""");
        Assert.False(last.GetProperty("will_retry").GetBoolean());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next_retry_delay_secs").ValueKind);
        Assert.Equal("deadletter", await StatusAsync(client, jobId));
        var dlq = await GetAsync(client, "/api/v1/jobs/dlq?queue_name=retry-q");
        Assert.Equal(jobId, Assert.Single(dlq.EnumerateArray()).GetProperty("id").GetString());
        Assert.Empty(await ClaimAsync(client, "retry-q", "w3"));

        var retried = await PostAsync(client, $"/api/v1/jobs/{jobId}/retry", "");
        Assert.Equal("pending", retried.GetProperty("status").GetString());
        var again = Assert.Single(await ClaimAsync(client, "retry-q", "w3"));
        Assert.Equal(jobId, again.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Deregister_releases_the_workers_jobs_to_pending_on_either_path()
    {
        var (client, _) = await fixture.NewTenantAsync();
        foreach (var (verb, path) in new[] { ("POST", "/deregister"), ("DELETE", "") })
        {
            var queue = "dereg-" + verb.ToLowerInvariant();
            var worker = (await PostAsync(client, "/api/v1/workers/register", $$"""{"queue_name":"{{queue}}","hostname":"h"}""", HttpStatusCode.Created)).GetProperty("id").GetString();
            var a = await EnqueueAsync(client, queue);
            var b = await EnqueueAsync(client, queue);
            Assert.Equal(2, (await ClaimAsync(client, queue, worker!, limit: 10)).Count);

            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(verb), $"/api/v1/workers/{worker}{path}"));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal("pending", await StatusAsync(client, a));
            Assert.Equal("pending", await StatusAsync(client, b));
            var view = await GetAsync(client, $"/api/v1/workers/{worker}");
            Assert.Equal("offline", view.GetProperty("status").GetString());
            Assert.Equal(2, (await ClaimAsync(client, queue, "other", limit: 10)).Count);
        }
    }

    [Fact]
    public async Task Long_poll_claim_is_answered_as_soon_as_a_job_is_enqueued()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var clock = Stopwatch.StartNew();
        var claim = ClaimAsync(client, "poll-q", "w1", wait: 20);
        await Task.Delay(300);
        Assert.False(claim.IsCompleted);
        var id = await EnqueueAsync(client, "poll-q");
        var jobs = await claim;
        Assert.Equal(id, Assert.Single(jobs).GetProperty("id").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the claim took {clock.Elapsed}");

        clock.Restart();
        Assert.Empty(await ClaimAsync(client, "poll-q", "w1", wait: 1));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"the empty claim took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_long_poll_abandoned_by_its_client_is_not_handed_a_job()
    {
        var (client, _) = await fixture.NewTenantAsync();
        using (var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            var request = client.PostAsync("/api/v1/jobs/claim", Body("""{"queue_name":"gone-q","worker_id":"w1","wait_secs":20}"""), gone.Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        }

        await Task.Delay(300); // Let the server see the connection close.
        var id = await EnqueueAsync(client, "gone-q");
        Assert.Equal(id, Assert.Single(await ClaimAsync(client, "gone-q", "w2")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Batch_acknowledgement_answers_per_item()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await EnqueueAsync(client, "batch-q"));
        }

        var claimed = await ClaimAsync(client, "batch-q", "w1", limit: 4);
        var leases = new Dictionary<string, string>();
        foreach (var job in claimed)
        {
            leases[job.GetProperty("id").GetString()!] = job.GetProperty("lease_id").GetString()!;
        }

        var unknown = Guid.NewGuid().ToString();
        var completed = await PostAsync(client, "/api/v1/jobs/batch/complete", $$$"""
            {"worker_id":"w1","jobs":[
              {"id":"{{{ids[0]}}}","lease_id":"{{{leases[ids[0]]}}}","result":{"ok":1}},
              {"id":"{{{ids[1]}}}","lease_id":"{{{Guid.NewGuid()}}}"},
              {"id":"{{{unknown}}}"},
              {"id":"not-a-job"},
              {"id":"{{{ids[2]}}}"}
            ]}
            """);
        Shape(completed, "succeeded", "failed", "total", "success_count", "failure_count");
        Assert.Equal(5, completed.GetProperty("total").GetInt32());
        Assert.Equal(2, completed.GetProperty("success_count").GetInt32());
        Assert.Equal(3, completed.GetProperty("failure_count").GetInt32());
        var succeeded = completed.GetProperty("succeeded").EnumerateArray().ToList();
        Shape(succeeded[0], "index", "job_id");
        Assert.Equal(new[] { (0, ids[0]), (4, ids[2]) }, succeeded.Select(s => (s.GetProperty("index").GetInt32(), s.GetProperty("job_id").GetString()!)));
        var failed = completed.GetProperty("failed").EnumerateArray().ToList();
        Shape(failed[0], "index", "job_id", "code", "message");
        Assert.Equal(
            new[] { (1, ids[1], "LEASE_EXPIRED"), (2, unknown, "NOT_FOUND"), (3, "not-a-job", "NOT_FOUND") },
            failed.Select(f => (f.GetProperty("index").GetInt32(), f.GetProperty("job_id").GetString()!, f.GetProperty("code").GetString()!)));
        Assert.Equal("completed", await StatusAsync(client, ids[0]));
        Assert.Equal("""{"ok":1}""", (await GetAsync(client, $"/api/v1/jobs/{ids[0]}")).GetProperty("result").GetRawText());
        Assert.Equal("completed", await StatusAsync(client, ids[2]));

        var failedBatch = await PostAsync(client, "/api/v1/jobs/batch/fail", $$"""
            {"worker_id":"w1","jobs":[
              {"id":"{{ids[1]}}","lease_id":"{{leases[ids[1]]}}","error":"bad"},
              {"id":"{{ids[3]}}","error":"bad"},
              {"id":"{{ids[0]}}","error":"already done"}
            ]}
            """);
        Assert.Equal(2, failedBatch.GetProperty("success_count").GetInt32());
        var refused = Assert.Single(failedBatch.GetProperty("failed").EnumerateArray());
        Assert.Equal(2, refused.GetProperty("index").GetInt32());
        Assert.Equal("LEASE_EXPIRED", refused.GetProperty("code").GetString());
        foreach (var id in new[] { ids[1], ids[3] })
        {
            var job = await GetAsync(client, $"/api/v1/jobs/{id}");
            Assert.Equal("pending", job.GetProperty("status").GetString());
            Assert.Equal("bad", job.GetProperty("last_error").GetString());
        }
    }

    [Fact]
    public async Task A_stale_or_foreign_lease_is_LEASE_EXPIRED_on_every_acknowledgement()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var worker = (await PostAsync(client, "/api/v1/workers/register", """{"queue_name":"stale-q","hostname":"h"}""", HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var id = await EnqueueAsync(client, "stale-q");
        var staleLease = Assert.Single(await ClaimAsync(client, "stale-q", worker)).GetProperty("lease_id").GetString();

        // The worker lets go (deregister) and another worker takes the job under a new lease.
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/workers/{worker}/deregister", EmptyJson())).StatusCode);
        var current = Assert.Single(await ClaimAsync(client, "stale-q", "w2")).GetProperty("lease_id").GetString();
        Assert.NotEqual(staleLease, current);

        var stale = $$"""{"worker_id":"{{worker}}","lease_id":"{{staleLease}}","error":"x","lease_duration_secs":30}""";
        foreach (var route in new[] { "complete", "fail", "heartbeat", "progress" })
        {
            await PostErrorAsync(client, $"/api/v1/jobs/{id}/{route}", stale, HttpStatusCode.Conflict, "LEASE_EXPIRED");

            // Without a lease id (the Go SDK) the check is that this worker holds the job: it does not.
            await PostErrorAsync(client, $"/api/v1/jobs/{id}/{route}", $$"""{"worker_id":"{{worker}}","error":"x"}""", HttpStatusCode.Conflict, "LEASE_EXPIRED");

            // The current lease under another worker's name is foreign too, as is text that is no lease id.
            await PostErrorAsync(client, $"/api/v1/jobs/{id}/{route}", $$"""{"worker_id":"{{worker}}","lease_id":"{{current}}","error":"x"}""", HttpStatusCode.Conflict, "LEASE_EXPIRED");
            await PostErrorAsync(client, $"/api/v1/jobs/{id}/{route}", """{"worker_id":"w2","lease_id":"not-a-lease","error":"x"}""", HttpStatusCode.Conflict, "LEASE_EXPIRED");
        }

        Assert.Equal("processing", await StatusAsync(client, id));
        await PostAsync(client, $"/api/v1/jobs/{id}/complete", $$"""{"worker_id":"w2","lease_id":"{{current}}"}""");
    }

    [Fact]
    public async Task Progress_is_stored_with_or_without_the_worker_naming_itself()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var id = await EnqueueAsync(client, "progress-q");
        var lease = Assert.Single(await ClaimAsync(client, "progress-q", "w1")).GetProperty("lease_id").GetString();

        var reported = await PostAsync(client, $"/api/v1/jobs/{id}/progress", $$"""{"worker_id":"w1","lease_id":"{{lease}}","progress":{"step":2,"of":5},"message":"resizing"}""");
        Shape(reported, "success");
        var job = await GetAsync(client, $"/api/v1/jobs/{id}");
        Assert.Equal("""{"progress":{"step":2,"of":5},"message":"resizing"}""", job.GetProperty("progress").GetRawText());

        // The Go SDK sends only the percentage and a message.
        await PostAsync(client, $"/api/v1/jobs/{id}/progress", """{"progress":62.5}""");
        job = await GetAsync(client, $"/api/v1/jobs/{id}");
        Assert.Equal("""{"progress":62.5,"message":null}""", job.GetProperty("progress").GetRawText());

        await PostAsync(client, $"/api/v1/jobs/{id}/complete", """{"worker_id":"w1"}""");
        await PostErrorAsync(client, $"/api/v1/jobs/{id}/progress", """{"progress":100}""", HttpStatusCode.Conflict, "LEASE_EXPIRED");
    }

    [Fact]
    public async Task A_queue_scoped_key_may_claim_and_register_only_on_its_queues()
    {
        var (client, orgId) = await fixture.NewTenantAsync();
        var scoped = await fixture.ScopedClientAsync(orgId, "allowed");
        await EnqueueAsync(client, "allowed");
        await EnqueueAsync(client, "other");

        Assert.Single(await ClaimAsync(scoped, "allowed", "w1"));
        await PostErrorAsync(scoped, "/api/v1/jobs/claim", """{"queue_name":"other","worker_id":"w1"}""", HttpStatusCode.Forbidden, "ACCESS_DENIED");
        await PostErrorAsync(scoped, "/api/v1/workers/register", """{"queue_name":"other","hostname":"h"}""", HttpStatusCode.Forbidden, "ACCESS_DENIED");
        await PostAsync(scoped, "/api/v1/workers/register", """{"queue_name":"allowed","hostname":"h"}""", HttpStatusCode.Created);
        Assert.Single(await ClaimAsync(client, "other", "w1"));
    }
}

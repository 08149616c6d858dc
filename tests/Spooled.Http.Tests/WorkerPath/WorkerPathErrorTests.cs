using System.Net;
using System.Text;
using static Spooled.Http.Tests.WorkerPath.Wire;

namespace Spooled.Http.Tests.WorkerPath;

/// <summary>Bad input and other tenants' ids on the worker's job routes: the documented status and error body, never a 500.</summary>
public sealed class WorkerPathErrorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("""{"queue_name":"q","worker_id":"w",""", "INVALID_JSON", null)]
    [InlineData("""{"worker_id":"w"}""", "INVALID_JSON", "body")]
    [InlineData("""{"queue_name":"q"}""", "INVALID_JSON", "body")]
    [InlineData("""{"queue_name":"q","worker_id":"w","limit":"5"}""", "INVALID_JSON", "limit")]
    [InlineData("""{"queue_name":"q","worker_id":"w","limit":1.5}""", "INVALID_JSON", "limit")]
    [InlineData("""{"queue_name":7,"worker_id":"w"}""", "INVALID_JSON", "queue_name")]
    [InlineData("""[]""", "INVALID_JSON", "body")]
    [InlineData("""{"queue_name":"q","worker_id":"w","limit":0}""", "VALIDATION_ERROR", "limit")]
    [InlineData("""{"queue_name":"q","worker_id":"w","limit":101}""", "VALIDATION_ERROR", "limit")]
    [InlineData("""{"queue_name":"q","worker_id":"w","lease_duration_secs":4}""", "VALIDATION_ERROR", "lease_duration_secs")]
    [InlineData("""{"queue_name":"q","worker_id":"w","lease_duration_secs":3601}""", "VALIDATION_ERROR", "lease_duration_secs")]
    [InlineData("""{"queue_name":"q","worker_id":"w","wait_secs":31}""", "VALIDATION_ERROR", "wait_secs")]
    [InlineData("""{"queue_name":"q","worker_id":"w","wait_secs":-1}""", "VALIDATION_ERROR", "wait_secs")]
    [InlineData("""{"queue_name":"bad queue!","worker_id":"w"}""", "VALIDATION_ERROR", "queue_name")]
    [InlineData("""{"queue_name":"-dash","worker_id":"w"}""", "VALIDATION_ERROR", "queue_name")]
    [InlineData("""{"queue_name":"q","worker_id":""}""", "VALIDATION_ERROR", "worker_id")]
    public async Task Claim_rejects_bad_input(string body, string code, string? field)
    {
        var (client, _) = await fixture.NewTenantAsync();
        await EnqueueAsync(client, "q");
        await PostErrorAsync(client, "/api/v1/jobs/claim", body, HttpStatusCode.BadRequest, code, field);
        Assert.Single(await ClaimAsync(client, "q", "w")); // Nothing was claimed by the refused request.
    }

    [Fact]
    public async Task Claim_rejects_an_empty_body_and_a_non_json_content_type()
    {
        var (client, _) = await fixture.NewTenantAsync();
        await ErrorAsync(await client.PostAsync("/api/v1/jobs/claim", EmptyJson()), HttpStatusCode.BadRequest, "INVALID_JSON", "body");
        var text = new StringContent("""{"queue_name":"q","worker_id":"w"}""", Encoding.UTF8, "text/plain");
        await ErrorAsync(await client.PostAsync("/api/v1/jobs/claim", text), HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task Claim_without_credentials_is_401()
    {
        using var anonymous = fixture.Server.Client();
        var response = await anonymous.PostAsync("/api/v1/jobs/claim", Body("""{"queue_name":"q","worker_id":"w"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Acknowledgements_reject_bad_input()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var id = await EnqueueAsync(client, "q");
        Assert.Single(await ClaimAsync(client, "q", "w"));
        var bad = HttpStatusCode.BadRequest;

        await PostErrorAsync(client, $"/api/v1/jobs/{id}/complete", """{"result":1}""", bad, "INVALID_JSON", "body");
        await PostErrorAsync(client, $"/api/v1/jobs/{id}/complete", """{"worker_id":"w","lease_id":5}""", bad, "INVALID_JSON", "lease_id");
        await PostErrorAsync(client, $"/api/v1/jobs/{id}/complete", """{"worker_id":"w",}""", bad, "INVALID_JSON");
        await PostErrorAsync(client, $"/api/v1/jobs/{id}/fail", """{"worker_id":"w"}""", bad, "INVALID_JSON", "body");
        await PostErrorAsync(client, $"/api/v1/jobs/{id}/fail", """{"worker_id":"w","error":""}""", bad, "VALIDATION_ERROR", "error");
        await PostErrorAsync(client, $"/api/v1/jobs/{id}/fail", $$"""{"worker_id":"w","error":"{{new string('x', 2049)}}"}""", bad, "VALIDATION_ERROR", "error");
        await PostErrorAsync(client, $"/api/v1/jobs/{id}/fail", """{"worker_id":"w","error":{"message":"x"}}""", bad, "INVALID_JSON", "error");
        await PostErrorAsync(client, $"/api/v1/jobs/{id}/heartbeat", """{"worker_id":"w","lease_duration_secs":3601}""", bad, "VALIDATION_ERROR", "lease_duration_secs");
        await PostErrorAsync(client, $"/api/v1/jobs/{id}/heartbeat", """{"worker_id":"w","lease_duration_secs":4}""", bad, "VALIDATION_ERROR", "lease_duration_secs");
        await PostErrorAsync(client, $"/api/v1/jobs/{id}/heartbeat", """{"lease_duration_secs":30}""", bad, "INVALID_JSON", "body");
        await PostErrorAsync(client, $"/api/v1/jobs/{id}/progress", """{"worker_id":"w","message":7}""", bad, "INVALID_JSON", "message");
        await ErrorAsync(await client.PostAsync($"/api/v1/jobs/{id}/complete", EmptyJson()), bad, "INVALID_JSON", "body");

        // A 2048-character error is the longest accepted; the job is still held and fails normally.
        await PostAsync(client, $"/api/v1/jobs/{id}/fail", $$"""{"worker_id":"w","error":"{{new string('x', 2048)}}"}""");
    }

    [Fact]
    public async Task Batch_acknowledgement_rejects_bad_input_as_a_whole()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var id = await EnqueueAsync(client, "q");
        Assert.Single(await ClaimAsync(client, "q", "w"));
        var bad = HttpStatusCode.BadRequest;
        var tooMany = string.Join(",", Enumerable.Repeat($$"""{"id":"{{id}}"}""", 101));

        await PostErrorAsync(client, "/api/v1/jobs/batch/complete", """{"worker_id":"w","jobs":[]}""", bad, "VALIDATION_ERROR", "jobs");
        await PostErrorAsync(client, "/api/v1/jobs/batch/complete", $$"""{"worker_id":"w","jobs":[{{tooMany}}]}""", bad, "VALIDATION_ERROR", "jobs");
        await PostErrorAsync(client, "/api/v1/jobs/batch/complete", """{"worker_id":"w"}""", bad, "INVALID_JSON", "body");
        await PostErrorAsync(client, "/api/v1/jobs/batch/complete", """{"worker_id":"w","jobs":{}}""", bad, "INVALID_JSON", "jobs");
        await PostErrorAsync(client, "/api/v1/jobs/batch/complete", """{"worker_id":"w","jobs":[{"lease_id":null}]}""", bad, "INVALID_JSON");
        await PostErrorAsync(client, "/api/v1/jobs/batch/complete", """{"worker_id":"w","jobs":[null]}""", bad, "VALIDATION_ERROR", "jobs[0]");
        await PostErrorAsync(client, "/api/v1/jobs/batch/fail", $$"""{"worker_id":"w","jobs":[{"id":"{{id}}","error":"x"},{"id":"{{id}}"}]}""", bad, "VALIDATION_ERROR", "jobs[1].error");
        await PostErrorAsync(client, "/api/v1/jobs/batch/fail", $$"""{"worker_id":"","jobs":[{"id":"{{id}}","error":"x"}]}""", bad, "VALIDATION_ERROR", "worker_id");
        Assert.Equal("processing", await StatusAsync(client, id));
    }

    [Theory]
    [InlineData("complete")]
    [InlineData("fail")]
    [InlineData("heartbeat")]
    [InlineData("progress")]
    public async Task Unknown_malformed_and_other_tenants_job_ids_are_404(string route)
    {
        var (owner, _) = await fixture.NewTenantAsync();
        var (stranger, _) = await fixture.NewTenantAsync();
        var id = await EnqueueAsync(owner, "q");
        var lease = Assert.Single(await ClaimAsync(owner, "q", "w")).GetProperty("lease_id").GetString();
        var body = $$"""{"worker_id":"w","lease_id":"{{lease}}","error":"x"}""";

        await PostErrorAsync(stranger, $"/api/v1/jobs/{id}/{route}", body, HttpStatusCode.NotFound, "NOT_FOUND");
        await PostErrorAsync(stranger, $"/api/v1/jobs/{id}/{route}", """{"worker_id":"w","error":"x"}""", HttpStatusCode.NotFound, "NOT_FOUND");
        await PostErrorAsync(owner, $"/api/v1/jobs/{Guid.NewGuid()}/{route}", body, HttpStatusCode.NotFound, "NOT_FOUND");
        await PostErrorAsync(owner, $"/api/v1/jobs/non-existent-job-id/{route}", body, HttpStatusCode.NotFound, "NOT_FOUND");
        if (route == "progress")
        {
            await PostErrorAsync(stranger, $"/api/v1/jobs/{id}/progress", """{"progress":1}""", HttpStatusCode.NotFound, "NOT_FOUND");
        }

        // The owner's job is untouched by all of it.
        var job = await GetAsync(owner, $"/api/v1/jobs/{id}");
        Assert.Equal("processing", job.GetProperty("status").GetString());
        Assert.Equal(lease, job.GetProperty("lease_id").GetString());
    }

    [Fact]
    public async Task Other_tenants_cannot_claim_or_batch_acknowledge_a_tenants_jobs()
    {
        var (owner, _) = await fixture.NewTenantAsync();
        var (stranger, _) = await fixture.NewTenantAsync();
        var id = await EnqueueAsync(owner, "shared-name");
        Assert.Empty(await ClaimAsync(stranger, "shared-name", "w"));
        Assert.Single(await ClaimAsync(owner, "shared-name", "w"));

        foreach (var route in new[] { "complete", "fail" })
        {
            var answer = await PostAsync(stranger, $"/api/v1/jobs/batch/{route}", $$"""{"worker_id":"w","jobs":[{"id":"{{id}}","error":"x"}]}""");
            Assert.Equal(0, answer.GetProperty("success_count").GetInt32());
            Assert.Equal("NOT_FOUND", Assert.Single(answer.GetProperty("failed").EnumerateArray()).GetProperty("code").GetString());
        }

        Assert.Equal("processing", await StatusAsync(owner, id));
    }
}

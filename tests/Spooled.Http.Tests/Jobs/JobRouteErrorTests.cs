using System.Net;
using System.Text;
using Spooled.Http.Tests.WorkerPath;
using static Spooled.Http.Tests.WorkerPath.Wire;

namespace Spooled.Http.Tests.Jobs;

/// <summary>The bad-input matrix of the job routes: every refusal has its status and error body, never a 500.</summary>
public sealed class JobRouteErrorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("""{"queue_name":"q","payload":{}""", "INVALID_JSON", "body")]
    [InlineData("""[1,2]""", "INVALID_JSON", "body")]
    [InlineData("""{"payload":{}}""", "INVALID_JSON", "body")]
    [InlineData("""{"queue_name":"q"}""", "INVALID_JSON", "body")]
    [InlineData("""{"queue_name":"q","payload":{},"priority":"high"}""", "INVALID_JSON", "priority")]
    [InlineData("""{"queue_name":"q","payload":{},"priority":101}""", "VALIDATION_ERROR", "priority")]
    [InlineData("""{"queue_name":"q","payload":{},"priority":-101}""", "VALIDATION_ERROR", "priority")]
    [InlineData("""{"queue_name":"q","payload":{},"max_retries":101}""", "VALIDATION_ERROR", "max_retries")]
    [InlineData("""{"queue_name":"q","payload":{},"timeout_seconds":0}""", "VALIDATION_ERROR", "timeout_seconds")]
    [InlineData("""{"queue_name":"q","payload":{},"timeout_seconds":86401}""", "VALIDATION_ERROR", "timeout_seconds")]
    [InlineData("""{"queue_name":"bad name","payload":{}}""", "VALIDATION_ERROR", "queue_name")]
    [InlineData("""{"queue_name":".hidden","payload":{}}""", "VALIDATION_ERROR", "queue_name")]
    [InlineData("""{"queue_name":"","payload":{}}""", "VALIDATION_ERROR", "queue_name")]
    [InlineData("""{"queue_name":"q","payload":{},"expires_at":"2001-01-01T00:00:00Z"}""", "VALIDATION_ERROR", "expires_at")]
    [InlineData("""{"queue_name":"q","payload":{},"scheduled_at":"tomorrow"}""", "INVALID_JSON", "scheduled_at")]
    [InlineData("""{"queue_name":"q","payload":{},"completion_webhook":"not a url"}""", "VALIDATION_ERROR", "completion_webhook")]
    [InlineData("""{"queue_name":"q","payload":{},"parent_job_id":"00000000-0000-0000-0000-000000000001"}""", "VALIDATION_ERROR", "parent_job_id")]
    public async Task Create_rejects_bad_input_with_the_field_named(string body, string code, string field)
    {
        var (client, _) = await fixture.NewTenantAsync();
        await ErrorAsync(await client.PostAsync("/api/v1/jobs", Body(body)), HttpStatusCode.BadRequest, code, field);
    }

    [Fact]
    public async Task Create_reports_every_invalid_field_at_once()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var response = await client.PostAsync("/api/v1/jobs", Body("""{"queue_name":"q","payload":{},"priority":500,"max_retries":-1}"""));
        var error = await ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(2, error.GetProperty("details").GetArrayLength());
        Assert.Equal("Validation failed", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_payload_over_1_MiB_is_413_and_a_body_over_2_MiB_is_413()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var payload = new string('x', (1024 * 1024) + 10);
        await ErrorAsync(await client.PostAsync("/api/v1/jobs", Body($$"""{"queue_name":"q","payload":"{{payload}}"}""")), HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        var huge = new string('x', (2 * 1024 * 1024) + 10);
        await ErrorAsync(await client.PostAsync("/api/v1/jobs", Body($$"""{"queue_name":"q","payload":"{{huge}}"}""")), HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task A_non_json_content_type_is_415_and_an_empty_body_is_400()
    {
        var (client, _) = await fixture.NewTenantAsync();
        await ErrorAsync(await client.PostAsync("/api/v1/jobs", new StringContent("""{"queue_name":"q","payload":1}""", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        await ErrorAsync(await client.PostAsync("/api/v1/jobs", EmptyJson()), HttpStatusCode.BadRequest, "INVALID_JSON", "body");
    }

    [Theory]
    [InlineData("/api/v1/jobs?status=running", "status")]
    [InlineData("/api/v1/jobs?limit=0", "limit")]
    [InlineData("/api/v1/jobs?limit=101", "limit")]
    [InlineData("/api/v1/jobs?limit=ten", "limit")]
    [InlineData("/api/v1/jobs?offset=-1", "offset")]
    [InlineData("/api/v1/jobs?order_by=name", "order_by")]
    [InlineData("/api/v1/jobs?order_dir=up", "order_dir")]
    [InlineData("/api/v1/jobs?queue_name=bad%20name", "queue_name")]
    public async Task List_rejects_invalid_filters_instead_of_ignoring_them(string path, string field)
    {
        var (client, _) = await fixture.NewTenantAsync();
        await ErrorAsync(await client.GetAsync(path), HttpStatusCode.BadRequest, "VALIDATION_ERROR", field);
    }

    [Theory]
    [InlineData("GET", "/api/v1/jobs/{0}")]
    [InlineData("DELETE", "/api/v1/jobs/{0}")]
    [InlineData("POST", "/api/v1/jobs/{0}/retry")]
    [InlineData("PUT", "/api/v1/jobs/{0}/priority")]
    public async Task Unknown_malformed_and_other_tenants_ids_are_404(string method, string route)
    {
        var (owner, _) = await fixture.NewTenantAsync();
        var (stranger, _) = await fixture.NewTenantAsync();
        var id = (await PostAsync(owner, "/api/v1/jobs", """{"queue_name":"q","payload":1}""", HttpStatusCode.Created)).GetProperty("id").GetString();
        foreach (var target in new[] { id, Guid.NewGuid().ToString(), "non-existent-job-id" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, route, target));
            if (method == "PUT")
            {
                request.Content = Body("""{"priority":5}""");
            }

            await ErrorAsync(await stranger.SendAsync(request), HttpStatusCode.NotFound, "NOT_FOUND");
        }
    }

    [Fact]
    public async Task Cancel_of_a_processing_job_is_409_and_priority_outside_the_range_is_400()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var id = (await PostAsync(client, "/api/v1/jobs", """{"queue_name":"q","payload":1}""", HttpStatusCode.Created)).GetProperty("id").GetString();
        await ErrorAsync(await client.PutAsync($"/api/v1/jobs/{id}/priority", Body("""{"priority":1000}""")), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "priority");
        await PostAsync(client, "/api/v1/jobs/claim", """{"queue_name":"q","worker_id":"w"}""");
        await ErrorAsync(await client.DeleteAsync($"/api/v1/jobs/{id}"), HttpStatusCode.Conflict, "CONFLICT");
        await ErrorAsync(await client.PostAsync($"/api/v1/jobs/{id}/retry", EmptyJson()), HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task Status_lists_at_most_100_ids_and_leaves_out_unknown_ones()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var id = (await PostAsync(client, "/api/v1/jobs", """{"queue_name":"q","payload":1}""", HttpStatusCode.Created)).GetProperty("id").GetString();
        var found = await GetAsync(client, $"/api/v1/jobs/status?ids={id}, {Guid.NewGuid()},junk,");
        Assert.Equal(1, found.GetArrayLength());
        Shape(found[0], "id", "status", "queue_name", "retry_count", "created_at", "completed_at");
        var many = string.Join(',', Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()));
        await ErrorAsync(await client.GetAsync($"/api/v1/jobs/status?ids={many}"), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal(0, (await GetAsync(client, "/api/v1/jobs/status")).GetArrayLength());
    }

    [Fact]
    public async Task An_unknown_route_is_a_json_404_and_errors_carry_the_request_id()
    {
        var (client, _) = await fixture.NewTenantAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nothing-here");
        request.Headers.Add("X-Request-Id", "trace-me-123");
        var response = await client.SendAsync(request);
        Assert.Equal("trace-me-123", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("1", response.Headers.GetValues("X-API-Version").Single());
        await ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }
}

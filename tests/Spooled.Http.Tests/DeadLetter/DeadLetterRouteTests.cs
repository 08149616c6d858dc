using System.Net;
using Spooled.Http.Tests.WorkerPath;
using static Spooled.Http.Tests.WorkerPath.Wire;

namespace Spooled.Http.Tests.DeadLetter;

/// <summary>Dead-letter routes over real HTTP, with the purge bodies of every SDK.</summary>
public sealed class DeadLetterRouteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string ConfirmMessage = "Must set 'confirm: true' to purge dead-letter queue";

    private static async Task<List<string?>> DlqIdsAsync(HttpClient client, string query = "")
    {
        var list = await GetAsync(client, "/api/v1/jobs/dlq" + query);
        return list.EnumerateArray().Select(j => j.GetProperty("id").GetString()).ToList();
    }

    [Fact]
    public async Task List_is_a_bare_array_of_job_summaries_newest_first_with_filters_and_paging()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var a1 = await DeadLetterAsync(client, "a");
        var b1 = await DeadLetterAsync(client, "b");
        var a2 = await DeadLetterAsync(client, "a");
        await EnqueueAsync(client, "a"); // Pending: not in the dead-letter queue.

        var list = await GetAsync(client, "/api/v1/jobs/dlq");
        var first = list.EnumerateArray().First();
        Shape(first, "id", "queue_name", "status", "priority", "retry_count", "created_at", "scheduled_at", "started_at", "completed_at");
        Assert.Equal("deadletter", first.GetProperty("status").GetString());
        Assert.Equal(1, first.GetProperty("retry_count").GetInt32());
        Assert.Equal([a2, b1, a1], await DlqIdsAsync(client));
        Assert.Equal([a2, a1], await DlqIdsAsync(client, "?queue_name=a"));
        Assert.Equal([b1], await DlqIdsAsync(client, "?limit=1&offset=1"));
        Assert.Empty(await DlqIdsAsync(client, "?queue_name=nothing-here"));
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?offset=-1", "offset")]
    [InlineData("?queue_name=bad%20name", "queue_name")]
    public async Task List_rejects_bad_parameters(string query, string field)
    {
        var (client, _) = await fixture.NewTenantAsync();
        await ErrorAsync(await client.GetAsync("/api/v1/jobs/dlq" + query), HttpStatusCode.BadRequest, "VALIDATION_ERROR", field);
    }

    [Fact]
    public async Task Retry_by_ids_then_by_queue_then_everything_puts_jobs_back_to_pending()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var a1 = await DeadLetterAsync(client, "a");
        var a2 = await DeadLetterAsync(client, "a");
        var b1 = await DeadLetterAsync(client, "b");
        var b2 = await DeadLetterAsync(client, "b");

        var byIds = await PostAsync(client, "/api/v1/jobs/dlq/retry", $$"""{"job_ids":["{{a2}}","not-a-job","{{Guid.NewGuid()}}"]}""");
        Shape(byIds, "retried_count", "retried_jobs");
        Assert.Equal(1, byIds.GetProperty("retried_count").GetInt32());
        Assert.Equal(a2, Assert.Single(byIds.GetProperty("retried_jobs").EnumerateArray()).GetString());
        var retried = await GetAsync(client, $"/api/v1/jobs/{a2}");
        Assert.Equal("pending", retried.GetProperty("status").GetString());
        Assert.Equal(0, retried.GetProperty("retry_count").GetInt32());

        var byQueue = await PostAsync(client, "/api/v1/jobs/dlq/retry", """{"queue_name":"b","limit":1}""");
        Assert.Equal(b1, Assert.Single(byQueue.GetProperty("retried_jobs").EnumerateArray()).GetString()); // Oldest first.

        var everything = await ReadAsync(await client.PostAsync("/api/v1/jobs/dlq/retry", EmptyJson()));
        Assert.Equal(2, everything.GetProperty("retried_count").GetInt32());
        Assert.Empty(await DlqIdsAsync(client));
        Assert.Equal(4, (await ClaimAsync(client, "a", "w", limit: 10)).Count + (await ClaimAsync(client, "b", "w", limit: 10)).Count);
        Assert.Equal("processing", await StatusAsync(client, a1));
        Assert.Equal("processing", await StatusAsync(client, b2));
    }

    [Theory]
    [InlineData("""{"limit":0}""", "VALIDATION_ERROR", "limit")]
    [InlineData("""{"limit":101}""", "VALIDATION_ERROR", "limit")]
    [InlineData("""{"queue_name":"bad name"}""", "VALIDATION_ERROR", "queue_name")]
    [InlineData("""{"job_ids":"abc"}""", "INVALID_JSON", "job_ids")]
    [InlineData("""{"job_ids":[1]}""", "INVALID_JSON", null)]
    [InlineData("""{"limit":""", "INVALID_JSON", null)]
    public async Task Retry_rejects_bad_input(string body, string code, string? field)
    {
        var (client, _) = await fixture.NewTenantAsync();
        var id = await DeadLetterAsync(client, "q");
        await PostErrorAsync(client, "/api/v1/jobs/dlq/retry", body, HttpStatusCode.BadRequest, code, field);
        Assert.Equal("deadletter", await StatusAsync(client, id));
    }

    [Fact]
    public async Task Purge_takes_nodes_confirmed_body()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var a = await DeadLetterAsync(client, "a");
        var b = await DeadLetterAsync(client, "b");
        var purged = await PostAsync(client, "/api/v1/jobs/dlq/purge", """{"confirm":true,"queue_name":"a"}""");
        Shape(purged, "purged_count");
        Assert.Equal(1, purged.GetProperty("purged_count").GetInt32());
        await ErrorAsync(await client.GetAsync($"/api/v1/jobs/{a}"), HttpStatusCode.NotFound, "NOT_FOUND");

        var tenMinutesAgo = DateTime.UtcNow.AddMinutes(-10).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, (await PostAsync(client, "/api/v1/jobs/dlq/purge", $$"""{"confirm":true,"older_than":"{{tenMinutesAgo}}"}""")).GetProperty("purged_count").GetInt32());
        Assert.Equal(1, (await PostAsync(client, "/api/v1/jobs/dlq/purge", """{"confirm":true}""")).GetProperty("purged_count").GetInt32());
        await ErrorAsync(await client.GetAsync($"/api/v1/jobs/{b}"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Purge_takes_pythons_and_gos_bodies_where_a_filter_is_the_confirmation()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var a1 = await DeadLetterAsync(client, "a");
        var a2 = await DeadLetterAsync(client, "a");
        var b = await DeadLetterAsync(client, "b");
        var c = await DeadLetterAsync(client, "c");

        // Python: explicit ids (one of them no job id at all), then an age.
        Assert.Equal(1, (await PostAsync(client, "/api/v1/jobs/dlq/purge", $$"""{"job_ids":["{{a1}}","bogus"]}""")).GetProperty("purged_count").GetInt32());
        Assert.Equal([c, b, a2], await DlqIdsAsync(client));
        Assert.Equal(0, (await PostAsync(client, "/api/v1/jobs/dlq/purge", """{"older_than_days":1}""")).GetProperty("purged_count").GetInt32());

        // Go: the queue alone.
        Assert.Equal(1, (await PostAsync(client, "/api/v1/jobs/dlq/purge", """{"queue_name":"b"}""")).GetProperty("purged_count").GetInt32());
        Assert.Equal([c, a2], await DlqIdsAsync(client));

        // Filters combine: queue and age.
        Assert.Equal(1, (await PostAsync(client, "/api/v1/jobs/dlq/purge", """{"queue_name":"a","older_than_days":0}""")).GetProperty("purged_count").GetInt32());
        Assert.Equal([c], await DlqIdsAsync(client));
    }

    [Fact]
    public async Task Purge_without_a_filter_or_confirmation_is_refused()
    {
        var (client, _) = await fixture.NewTenantAsync();
        var id = await DeadLetterAsync(client, "q");
        var bodies = new HttpContent[]
        {
            EmptyJson(),
            Body("{}"),
            Body("""{"confirm":false}"""),
            Body("""{"confirm":false,"queue_name":"q"}"""),
            Body("""{"limit":5}"""),
        };
        foreach (var body in bodies)
        {
            var response = await client.PostAsync("/api/v1/jobs/dlq/purge", body);
            var error = await ReadAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("BAD_REQUEST", error.GetProperty("code").GetString());
            Assert.Equal(ConfirmMessage, error.GetProperty("message").GetString());
        }

        await PostErrorAsync(client, "/api/v1/jobs/dlq/purge", """{"older_than_days":-1}""", HttpStatusCode.BadRequest, "VALIDATION_ERROR", "older_than_days");
        await PostErrorAsync(client, "/api/v1/jobs/dlq/purge", """{"confirm":true,"limit":0}""", HttpStatusCode.BadRequest, "VALIDATION_ERROR", "limit");
        await PostErrorAsync(client, "/api/v1/jobs/dlq/purge", """{"confirm":"yes"}""", HttpStatusCode.BadRequest, "INVALID_JSON", "confirm");
        await PostErrorAsync(client, "/api/v1/jobs/dlq/purge", """{"confirm":true,"older_than":"yesterday"}""", HttpStatusCode.BadRequest, "INVALID_JSON", "older_than");
        await PostErrorAsync(client, "/api/v1/jobs/dlq/purge", """{"confirm":true,"queue_name":"bad name"}""", HttpStatusCode.BadRequest, "VALIDATION_ERROR", "queue_name");
        Assert.Equal("deadletter", await StatusAsync(client, id));
    }

    [Fact]
    public async Task Another_tenants_dead_letters_are_invisible_and_untouchable()
    {
        var (owner, _) = await fixture.NewTenantAsync();
        var (stranger, _) = await fixture.NewTenantAsync();
        var id = await DeadLetterAsync(owner, "q");

        Assert.Empty(await DlqIdsAsync(stranger));
        var retried = await PostAsync(stranger, "/api/v1/jobs/dlq/retry", $$"""{"job_ids":["{{id}}"]}""");
        Assert.Equal(0, retried.GetProperty("retried_count").GetInt32());
        Assert.Equal(0, (await PostAsync(stranger, "/api/v1/jobs/dlq/retry", "{}")).GetProperty("retried_count").GetInt32());
        Assert.Equal(0, (await PostAsync(stranger, "/api/v1/jobs/dlq/purge", $$"""{"job_ids":["{{id}}"]}""")).GetProperty("purged_count").GetInt32());
        Assert.Equal(0, (await PostAsync(stranger, "/api/v1/jobs/dlq/purge", """{"confirm":true}""")).GetProperty("purged_count").GetInt32());
        await ErrorAsync(await stranger.PostAsync($"/api/v1/jobs/{id}/retry", null), HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Equal([id], await DlqIdsAsync(owner));
    }
}

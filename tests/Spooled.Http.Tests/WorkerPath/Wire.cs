using System.Net;
using System.Text;
using System.Text.Json;

namespace Spooled.Http.Tests.WorkerPath;

/// <summary>Requests and assertions on the wire format shared by the worker, queue and dead-letter route tests.</summary>
internal static class Wire
{
    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A request with <c>Content-Type: application/json</c> and no body, as Node and Python send it.</summary>
    public static ByteArrayContent EmptyJson()
    {
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> PostAsync(HttpClient client, string path, string json, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await client.PostAsync(path, Body(json)), expected);

    public static async Task<JsonElement> GetAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await client.GetAsync(path), expected);

    /// <summary>Pins a response shape: the object has exactly these properties.</summary>
    public static void Shape(JsonElement value, params string[] names)
    {
        Assert.Equal(JsonValueKind.Object, value.ValueKind);
        var actual = new List<string>();
        foreach (var property in value.EnumerateObject())
        {
            actual.Add(property.Name);
        }

        actual.Sort(StringComparer.Ordinal);
        var expected = new List<string>(names);
        expected.Sort(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }

    /// <summary>Asserts the API's error body: the status, <c>code</c>, a message and, when given, the offending field.</summary>
    public static async Task ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? field = null)
    {
        var body = await ReadAsync(response, status);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        if (field is not null)
        {
            var fields = new List<string?>();
            foreach (var detail in body.GetProperty("details").EnumerateArray())
            {
                fields.Add(detail.GetProperty("field").GetString());
            }

            Assert.Contains(field, fields);
        }
    }

    public static async Task PostErrorAsync(HttpClient client, string path, string json, HttpStatusCode status, string code, string? field = null) =>
        await ErrorAsync(await client.PostAsync(path, Body(json)), status, code, field);

    /// <summary>Enqueues a job and returns its id.</summary>
    public static async Task<string> EnqueueAsync(HttpClient client, string queue, string extra = "")
    {
        var body = await PostAsync(client, "/api/v1/jobs", $$"""{"queue_name":"{{queue}}","payload":{"n":1}{{extra}}}""", HttpStatusCode.Created);
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Claims up to <paramref name="limit"/> jobs and returns the claimed items.</summary>
    public static async Task<List<JsonElement>> ClaimAsync(HttpClient client, string queue, string worker, int limit = 1, int wait = 0)
    {
        var body = await PostAsync(client, "/api/v1/jobs/claim", $$"""{"queue_name":"{{queue}}","worker_id":"{{worker}}","limit":{{limit}},"wait_secs":{{wait}}}""");
        var jobs = new List<JsonElement>();
        foreach (var job in body.GetProperty("jobs").EnumerateArray())
        {
            jobs.Add(job);
        }

        return jobs;
    }

    /// <summary>Enqueues a job without retries, claims it and fails it, so that it is dead-lettered.</summary>
    public static async Task<string> DeadLetterAsync(HttpClient client, string queue)
    {
        var id = await EnqueueAsync(client, queue, ""","max_retries":0""");
        var claimed = await ClaimAsync(client, queue, "w-dlq");
        Assert.Equal(id, Assert.Single(claimed).GetProperty("id").GetString());
        var failed = await PostAsync(client, $"/api/v1/jobs/{id}/fail", """{"worker_id":"w-dlq","error":"boom"}""");
        Assert.False(failed.GetProperty("will_retry").GetBoolean());
        return id;
    }

    public static async Task<string> StatusAsync(HttpClient client, string id) =>
        (await GetAsync(client, $"/api/v1/jobs/{id}")).GetProperty("status").GetString()!;
}

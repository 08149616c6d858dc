using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Spooled.Http.Tests.Support;

namespace Spooled.Http.Tests.Jobs;

public sealed class JobRouteSmokeTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Create_then_get_returns_the_payload_verbatim_and_survives_a_restart()
    {
        await using var server = await TestServer.StartAsync();
        var (_, key) = await server.CreateTenantAsync();
        using var client = server.Client(key);
        var created = await client.PostAsync("/api/v1/jobs", Json("""{"queue_name":"emails","payload":{"b": 1, "a":[true,null]},"priority":3}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await server.RestartAsync();
        using var again = server.Client(key);
        var job = await again.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}");
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.Equal("""{"b": 1, "a":[true,null]}""", job.GetProperty("payload").GetRawText());
        Assert.EndsWith("Z", job.GetProperty("created_at").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task Another_tenants_job_is_not_found()
    {
        await using var server = await TestServer.StartAsync();
        var (_, first) = await server.CreateTenantAsync();
        var (_, second) = await server.CreateTenantAsync();
        using var owner = server.Client(first);
        var created = await owner.PostAsync("/api/v1/jobs", Json("""{"queue_name":"q","payload":1}"""));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var stranger = server.Client(second);
        var response = await stranger.GetAsync($"/api/v1/jobs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("NOT_FOUND", body.GetProperty("code").GetString());
    }
}

using System.Net;
using System.Text.Json;
using static Spooled.Http.Tests.Tenancy.Wire;

namespace Spooled.Http.Tests.Tenancy;

public sealed class ApiKeyRouteTests(DefaultServerFixture fixture) : IClassFixture<DefaultServerFixture>
{
    private static readonly string[] s_summaryFields = ["id", "name", "queues", "rate_limit", "is_active", "created_at", "last_used", "expires_at"];

    [Fact]
    public async Task Create_list_get_and_update_have_the_contract_shapes()
    {
        var (_, key) = await RegisterAsync(fixture.Server);
        using var owner = fixture.Server.Client(key);
        var expires = DateTimeOffset.UtcNow.AddDays(30).ToString("O");
        var created = await ExpectAsync(
            await owner.PostAsync("/api/v1/api-keys", Body($$"""{"name":"CI key (prod)","queues":["emails","reports.*"],"rate_limit":50,"expires_at":"{{expires}}"}""")),
            HttpStatusCode.Created);
        AssertFields(created, "id", "key", "name", "created_at", "expires_at");
        AssertTimestamp(created.GetProperty("expires_at"));
        var id = created.GetProperty("id").GetString();
        var raw = created.GetProperty("key").GetString()!;
        Assert.StartsWith("sk_test_", raw, StringComparison.Ordinal);

        using var minted = fixture.Server.Client(raw);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(minted));

        var list = await GetJsonAsync(owner, "/api/v1/api-keys");
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        Assert.Equal(2, list.GetArrayLength());
        foreach (var item in list.EnumerateArray())
        {
            AssertFields(item, s_summaryFields);
            Assert.False(item.TryGetProperty("key", out _));
        }

        Assert.Equal(id, list[0].GetProperty("id").GetString()); // Newest first.
        var one = await GetJsonAsync(owner, $"/api/v1/api-keys/{id}");
        AssertFields(one, s_summaryFields);
        Assert.Equal("""["emails","reports.*"]""", one.GetProperty("queues").GetRawText());
        Assert.Equal(50, one.GetProperty("rate_limit").GetInt32());
        Assert.True(one.GetProperty("is_active").GetBoolean());
        AssertTimestamp(one.GetProperty("last_used"));

        var updated = await ExpectAsync(await SendAsync(owner, HttpMethod.Put, $"/api/v1/api-keys/{id}", """{"name":"renamed","queues":["*"],"rate_limit":10}"""), HttpStatusCode.OK);
        AssertFields(updated, s_summaryFields);
        Assert.Equal("renamed", updated.GetProperty("name").GetString());
        Assert.Equal("""["*"]""", updated.GetProperty("queues").GetRawText());
        Assert.Equal(10, updated.GetProperty("rate_limit").GetInt32());
    }

    [Fact]
    public async Task Invalid_fields_are_refused_on_create_and_update()
    {
        var (_, key) = await RegisterAsync(fixture.Server);
        using var owner = fixture.Server.Client(key);
        var tooMany = "[" + string.Join(',', Enumerable.Range(0, 51).Select(i => $"\"q{i}\"")) + "]";
        foreach (var body in new[]
        {
            """{"name":""}""",
            """{"name":"semi;colon"}""",
            """{"name":"ok","rate_limit":0}""",
            """{"name":"ok","rate_limit":10001}""",
            """{"name":"ok","queues":["bad queue"]}""",
            """{"name":"ok","queues":[""]}""",
            $$"""{"name":"ok","queues":{{tooMany}}}""",
            """{"name":"ok","expires_at":"2001-01-01T00:00:00Z"}""",
        })
        {
            await ExpectErrorAsync(await owner.PostAsync("/api/v1/api-keys", Body(body)), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        }

        await ExpectErrorAsync(await owner.PostAsync("/api/v1/api-keys", Body("""{"queues":[]}""")), HttpStatusCode.BadRequest, "INVALID_JSON");
        var (id, _) = await CreateKeyAsync(owner);
        await ExpectErrorAsync(await SendAsync(owner, HttpMethod.Put, $"/api/v1/api-keys/{id}", """{"name":"semi;colon"}"""), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ExpectErrorAsync(await SendAsync(owner, HttpMethod.Put, $"/api/v1/api-keys/{id}", """{"rate_limit":-1}"""), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ExpectErrorAsync(await SendAsync(owner, HttpMethod.Put, $"/api/v1/api-keys/{id}", """{"queues":["a b"]}"""), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task A_revoked_key_stops_at_the_next_request_and_cannot_be_reactivated()
    {
        var (_, key) = await RegisterAsync(fixture.Server);
        using var owner = fixture.Server.Client(key);
        var (id, raw) = await CreateKeyAsync(owner);
        using var doomed = fixture.Server.Client(raw);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(doomed));

        await ExpectAsync(await owner.DeleteAsync($"/api/v1/api-keys/{id}"), HttpStatusCode.NoContent);
        await ExpectErrorAsync(await doomed.GetAsync("/api/v1/jobs/stats"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        var summary = await GetJsonAsync(owner, $"/api/v1/api-keys/{id}");
        Assert.False(summary.GetProperty("is_active").GetBoolean());
        await ExpectErrorAsync(await SendAsync(owner, HttpMethod.Put, $"/api/v1/api-keys/{id}", """{"is_active":true}"""), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(doomed));

        // Revoking through PUT works the same way.
        var (otherId, otherRaw) = await CreateKeyAsync(owner);
        using var other = fixture.Server.Client(otherRaw);
        await ExpectAsync(await SendAsync(owner, HttpMethod.Put, $"/api/v1/api-keys/{otherId}", """{"is_active":false}"""), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(other));
    }

    [Fact]
    public async Task Another_organizations_key_is_not_found_and_never_listed()
    {
        var (_, victimKey) = await RegisterAsync(fixture.Server);
        var (_, intruderKey) = await RegisterAsync(fixture.Server);
        using var victim = fixture.Server.Client(victimKey);
        using var intruder = fixture.Server.Client(intruderKey);
        var (victimKeyId, victimRaw) = await CreateKeyAsync(victim);

        await ExpectErrorAsync(await intruder.GetAsync($"/api/v1/api-keys/{victimKeyId}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ExpectErrorAsync(await SendAsync(intruder, HttpMethod.Put, $"/api/v1/api-keys/{victimKeyId}", """{"is_active":false}"""), HttpStatusCode.NotFound, "NOT_FOUND");
        await ExpectErrorAsync(await intruder.DeleteAsync($"/api/v1/api-keys/{victimKeyId}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ExpectErrorAsync(await intruder.GetAsync("/api/v1/api-keys/not-a-uuid"), HttpStatusCode.NotFound, "NOT_FOUND");

        var listed = await GetJsonAsync(intruder, "/api/v1/api-keys");
        foreach (var item in listed.EnumerateArray())
        {
            Assert.NotEqual(victimKeyId, item.GetProperty("id").GetString());
        }

        using var stillWorks = fixture.Server.Client(victimRaw);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(stillWorks));
    }
}

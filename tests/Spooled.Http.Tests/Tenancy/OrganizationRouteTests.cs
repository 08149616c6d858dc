using System.Net;
using System.Text.Json;
using static Spooled.Http.Tests.Tenancy.Wire;

namespace Spooled.Http.Tests.Tenancy;

public sealed class OrganizationRouteTests(AdminServerFixture fixture) : IClassFixture<AdminServerFixture>
{
    private static readonly string[] s_organizationFields = ["id", "name", "slug", "plan_tier", "billing_email", "settings", "custom_limits", "created_at", "updated_at"];

    [Fact]
    public async Task Registration_is_public_and_returns_the_organization_with_its_first_key()
    {
        var server = fixture.Server;
        using var anonymous = server.Client();
        var slug = "acme-" + Guid.NewGuid().ToString("N")[..8];
        var response = await anonymous.PostAsync("/api/v1/organizations", Body($$"""{"name":"Acme Inc","slug":"{{slug}}","billing_email":"billing@acme.test"}"""));
        var body = await ExpectAsync(response, HttpStatusCode.Created);

        AssertFields(body, "organization", "api_key");
        var org = body.GetProperty("organization");
        AssertFields(org, s_organizationFields);
        Assert.Equal("Acme Inc", org.GetProperty("name").GetString());
        Assert.Equal(slug, org.GetProperty("slug").GetString());
        Assert.Equal("free", org.GetProperty("plan_tier").GetString());
        Assert.Equal("billing@acme.test", org.GetProperty("billing_email").GetString());
        Assert.Equal("{}", org.GetProperty("settings").GetRawText());
        Assert.Equal(JsonValueKind.Null, org.GetProperty("custom_limits").ValueKind);
        AssertTimestamp(org.GetProperty("created_at"));
        AssertTimestamp(org.GetProperty("updated_at"));

        var key = body.GetProperty("api_key");
        AssertFields(key, "id", "key", "name", "created_at");
        Assert.Equal("Initial Admin Key", key.GetProperty("name").GetString());
        var raw = key.GetProperty("key").GetString()!;
        Assert.StartsWith("sk_test_", raw, StringComparison.Ordinal);
        Assert.Equal(51, raw.Length);

        // The key works at once, and GET /organizations (unlike POST) needs it.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(anonymous, "/api/v1/organizations"));
        using var owner = server.Client(raw);
        var list = await GetJsonAsync(owner, "/api/v1/organizations");
        Assert.Equal(1, list.GetArrayLength());
        AssertFields(list[0], "id", "name", "slug", "plan_tier", "created_at");
        Assert.Equal(org.GetProperty("id").GetString(), list[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Registration_refuses_a_taken_slug_a_bad_slug_a_reserved_slug_and_a_missing_name()
    {
        var (_, _) = await RegisterAsync(fixture.Server, "taken-slug");
        using var anonymous = fixture.Server.Client();
        await ExpectErrorAsync(await anonymous.PostAsync("/api/v1/organizations", Body("""{"name":"Again","slug":"taken-slug"}""")), HttpStatusCode.Conflict, "CONFLICT");
        await ExpectErrorAsync(await anonymous.PostAsync("/api/v1/organizations", Body("""{"name":"Bad","slug":"Bad Slug"}""")), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ExpectErrorAsync(await anonymous.PostAsync("/api/v1/organizations", Body("""{"name":"Admins","slug":"admin"}""")), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ExpectErrorAsync(await anonymous.PostAsync("/api/v1/organizations", Body("""{"name":"No","slug":"short-name","billing_email":"not-an-email"}""")), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ExpectErrorAsync(await anonymous.PostAsync("/api/v1/organizations", Body("""{"slug":"nameless"}""")), HttpStatusCode.BadRequest, "INVALID_JSON");
    }

    [Fact]
    public async Task The_caller_reads_and_changes_its_organization_but_not_its_plan()
    {
        var (orgId, key) = await RegisterAsync(fixture.Server);
        using var owner = fixture.Server.Client(key);
        var org = await GetJsonAsync(owner, $"/api/v1/organizations/{orgId}");
        AssertFields(org, s_organizationFields);

        var updated = await ExpectAsync(
            await SendAsync(owner, HttpMethod.Put, $"/api/v1/organizations/{orgId}", """{"name":"Renamed Org","billing_email":"ops@example.test","settings":{"theme": "dark","n":[1,2]},"plan_tier":"enterprise"}"""),
            HttpStatusCode.OK);
        AssertFields(updated, s_organizationFields);
        Assert.Equal("Renamed Org", updated.GetProperty("name").GetString());
        Assert.Equal("ops@example.test", updated.GetProperty("billing_email").GetString());
        Assert.Equal("""{"theme": "dark","n":[1,2]}""", updated.GetProperty("settings").GetRawText());
        Assert.Equal("free", updated.GetProperty("plan_tier").GetString());

        await ExpectErrorAsync(await SendAsync(owner, HttpMethod.Put, $"/api/v1/organizations/{orgId}", """{"settings":[1]}"""), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ExpectErrorAsync(await SendAsync(owner, HttpMethod.Put, $"/api/v1/organizations/{orgId}", """{"name":"x"}"""), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Usage_has_the_contract_shape_on_both_routes_with_no_limits_by_default()
    {
        var (orgId, key) = await RegisterAsync(fixture.Server);
        using var owner = fixture.Server.Client(key);
        await EnqueueAsync(owner, "emails");
        await EnqueueAsync(owner, "emails");
        await EnqueueAsync(owner, "reports");

        foreach (var path in new[] { "/api/v1/organizations/usage", $"/api/v1/organizations/{orgId}/usage" })
        {
            var usage = await GetJsonAsync(owner, path);
            AssertFields(usage, "plan", "plan_display_name", "limits", "usage", "warnings");
            Assert.Equal("free", usage.GetProperty("plan").GetString());
            Assert.Equal("Free", usage.GetProperty("plan_display_name").GetString());
            AssertPlanLimits(usage.GetProperty("limits"));
            var items = usage.GetProperty("usage");
            AssertFields(items, "jobs_today", "active_jobs", "queues", "workers", "api_keys", "schedules", "workflows", "webhooks");
            foreach (var item in items.EnumerateObject())
            {
                AssertFields(item.Value, "current", "limit", "percentage", "is_disabled");
                Assert.Equal(JsonValueKind.Null, item.Value.GetProperty("limit").ValueKind);
                Assert.Equal(JsonValueKind.Null, item.Value.GetProperty("percentage").ValueKind);
                Assert.False(item.Value.GetProperty("is_disabled").GetBoolean());
            }

            Assert.Equal(3, items.GetProperty("jobs_today").GetProperty("current").GetInt64());
            Assert.Equal(3, items.GetProperty("active_jobs").GetProperty("current").GetInt64());
            Assert.Equal(2, items.GetProperty("queues").GetProperty("current").GetInt64());
            Assert.Equal(1, items.GetProperty("api_keys").GetProperty("current").GetInt64());
            Assert.Equal(0, usage.GetProperty("warnings").GetArrayLength());
        }
    }

    internal static void AssertPlanLimits(JsonElement limits)
    {
        AssertFields(
            limits,
            "tier",
            "display_name",
            "max_jobs_per_day",
            "max_active_jobs",
            "max_queues",
            "max_workers",
            "max_api_keys",
            "max_schedules",
            "max_workflows",
            "max_webhooks",
            "max_payload_size_bytes",
            "rate_limit_requests_per_second",
            "rate_limit_burst",
            "job_retention_days",
            "history_retention_days");
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("max_jobs_per_day").ValueKind);
        Assert.Equal(1024 * 1024, limits.GetProperty("max_payload_size_bytes").GetInt64());
        Assert.Equal(JsonValueKind.Number, limits.GetProperty("rate_limit_requests_per_second").ValueKind);
    }

    [Fact]
    public async Task Members_are_the_live_keys()
    {
        var (orgId, key) = await RegisterAsync(fixture.Server);
        using var owner = fixture.Server.Client(key);
        await CreateKeyAsync(owner, """{"name":"emails only","queues":["emails"]}""");
        var (revokedId, _) = await CreateKeyAsync(owner, """{"name":"gone"}""");
        await ExpectAsync(await owner.DeleteAsync($"/api/v1/api-keys/{revokedId}"), HttpStatusCode.NoContent);

        var members = await GetJsonAsync(owner, $"/api/v1/organizations/{orgId}/members");
        Assert.Equal(2, members.GetArrayLength());
        var roles = new List<string>();
        foreach (var member in members.EnumerateArray())
        {
            AssertFields(member, "id", "user_id", "email", "name", "role", "joined_at");
            AssertTimestamp(member.GetProperty("joined_at"));
            roles.Add(member.GetProperty("role").GetString()!);
        }

        roles.Sort(StringComparer.Ordinal);
        Assert.Equal(["member", "owner"], roles);
    }

    [Fact]
    public async Task Delete_is_refused_while_jobs_are_active_then_removes_the_organization_and_its_keys()
    {
        var (orgId, key) = await RegisterAsync(fixture.Server);
        using var owner = fixture.Server.Client(key);
        var job = await EnqueueAsync(owner);
        await ExpectErrorAsync(await owner.DeleteAsync($"/api/v1/organizations/{orgId}"), HttpStatusCode.Conflict, "CONFLICT");

        await ExpectAsync(await owner.DeleteAsync($"/api/v1/jobs/{job}"), HttpStatusCode.NoContent);
        await ExpectAsync(await owner.DeleteAsync($"/api/v1/organizations/{orgId}"), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(owner, "/api/v1/organizations"));
    }

    [Fact]
    public async Task Another_organizations_id_is_not_found_on_every_route_and_lists_show_only_the_callers()
    {
        var (victimId, victimKey) = await RegisterAsync(fixture.Server);
        var (_, intruderKey) = await RegisterAsync(fixture.Server);
        using var intruder = fixture.Server.Client(intruderKey);

        await ExpectErrorAsync(await intruder.GetAsync($"/api/v1/organizations/{victimId}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ExpectErrorAsync(await SendAsync(intruder, HttpMethod.Put, $"/api/v1/organizations/{victimId}", """{"name":"Hijacked"}"""), HttpStatusCode.NotFound, "NOT_FOUND");
        await ExpectErrorAsync(await intruder.DeleteAsync($"/api/v1/organizations/{victimId}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ExpectErrorAsync(await intruder.GetAsync($"/api/v1/organizations/{victimId}/usage"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ExpectErrorAsync(await intruder.GetAsync($"/api/v1/organizations/{victimId}/members"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ExpectErrorAsync(await intruder.GetAsync("/api/v1/organizations/no-such-org"), HttpStatusCode.NotFound, "NOT_FOUND");

        var list = await GetJsonAsync(intruder, "/api/v1/organizations");
        Assert.Equal(1, list.GetArrayLength());
        Assert.NotEqual(victimId, list[0].GetProperty("id").GetString());

        using var victim = fixture.Server.Client(victimKey);
        Assert.NotEqual("Hijacked", (await GetJsonAsync(victim, $"/api/v1/organizations/{victimId}")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_key_limited_to_some_queues_cannot_change_the_organization_or_mint_keys()
    {
        var (orgId, key) = await RegisterAsync(fixture.Server);
        using var owner = fixture.Server.Client(key);
        var (_, scopedKey) = await CreateKeyAsync(owner, """{"name":"scoped","queues":["emails"]}""");
        using var scoped = fixture.Server.Client(scopedKey);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(scoped, $"/api/v1/organizations/{orgId}"));
        await ExpectErrorAsync(await SendAsync(scoped, HttpMethod.Put, $"/api/v1/organizations/{orgId}", """{"name":"Renamed"}"""), HttpStatusCode.Forbidden, "ACCESS_DENIED");
        await ExpectErrorAsync(await scoped.DeleteAsync($"/api/v1/organizations/{orgId}"), HttpStatusCode.Forbidden, "ACCESS_DENIED");
        await ExpectErrorAsync(await scoped.PostAsync("/api/v1/api-keys", Body("""{"name":"wider","queues":["*"]}""")), HttpStatusCode.Forbidden, "ACCESS_DENIED");
    }
}

using System.Net;
using System.Text.Json;
using Spooled.Http.Tests.Support;
using Spooled.Http.Tests.Tenancy;
using static Spooled.Http.Tests.Tenancy.Wire;

namespace Spooled.Http.Tests.Admin;

public sealed class AdminRouteTests(AdminServerFixture fixture) : IClassFixture<AdminServerFixture>
{
    private static readonly string[] s_organizationFields = ["id", "name", "slug", "plan_tier", "billing_email", "settings", "custom_limits", "created_at", "updated_at"];

    private static readonly (string, string) s_admin = ("X-Admin-Key", AdminKey);

    private async Task<JsonElement> AdminAsync(HttpMethod method, string path, HttpStatusCode expected, string? json = null)
    {
        using var client = fixture.Server.Client();
        return await ExpectAsync(await SendAsync(client, method, path, json, s_admin), expected);
    }

    private static string Slug(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Every_admin_route_needs_the_admin_key()
    {
        using var client = fixture.Server.Client();
        var (_, apiKey) = await RegisterAsync(fixture.Server);
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, "/api/v1/admin/organizations"),
            (HttpMethod.Post, "/api/v1/admin/organizations"),
            (HttpMethod.Get, "/api/v1/admin/organizations/default-org"),
            (HttpMethod.Patch, "/api/v1/admin/organizations/default-org"),
            (HttpMethod.Put, "/api/v1/admin/organizations/default-org"),
            (HttpMethod.Delete, "/api/v1/admin/organizations/default-org"),
            (HttpMethod.Post, "/api/v1/admin/organizations/default-org/api-keys"),
            (HttpMethod.Post, "/api/v1/admin/organizations/default-org/reset-usage"),
            (HttpMethod.Get, "/api/v1/admin/stats"),
            (HttpMethod.Get, "/api/v1/admin/plans"),
        })
        {
            await ExpectErrorAsync(await SendAsync(client, method, path, "{}"), HttpStatusCode.Unauthorized, "missing_admin_key");
            await ExpectErrorAsync(await SendAsync(client, method, path, "{}", ("X-Admin-Key", AdminKey + "!")), HttpStatusCode.Unauthorized, "invalid_admin_key");
            await ExpectErrorAsync(await SendAsync(client, method, path, "{}", ("X-Admin-Key", AdminKey[1..])), HttpStatusCode.Unauthorized, "invalid_admin_key");
            await ExpectErrorAsync(await SendAsync(client, method, path, "{}", ("Authorization", "Bearer " + apiKey)), HttpStatusCode.Unauthorized, "missing_admin_key");
        }
    }

    [Fact]
    public async Task Without_a_configured_admin_key_the_admin_routes_are_closed()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        await ExpectErrorAsync(await SendAsync(client, HttpMethod.Get, "/api/v1/admin/stats", null, ("X-Admin-Key", "anything")), HttpStatusCode.Unauthorized, "admin_not_configured");
        await ExpectErrorAsync(await client.GetAsync("/api/v1/admin/plans"), HttpStatusCode.Unauthorized, "admin_not_configured");
    }

    [Fact]
    public async Task Create_get_update_and_soft_delete_an_organization()
    {
        var slug = Slug("status"); // Reserved words are allowed to administrators.
        var created = await AdminAsync(HttpMethod.Post, "/api/v1/admin/organizations", HttpStatusCode.Created, $$$"""{"name":"Admin Made","slug":"{{{slug}}}","plan_tier":"pro","billing_email":"a@b.test","settings":{"k":"v"},"custom_limits":{"max_queues":3}}""");
        AssertFields(created, [.. s_organizationFields, "organization", "api_key"]);
        AssertFields(created.GetProperty("organization"), s_organizationFields);
        AssertFields(created.GetProperty("api_key"), "id", "key", "name", "created_at");
        Assert.Equal("pro", created.GetProperty("plan_tier").GetString());
        Assert.Equal("""{"k":"v"}""", created.GetProperty("organization").GetProperty("settings").GetRawText());
        var id = created.GetProperty("id").GetString()!;
        using var tenant = fixture.Server.Client(created.GetProperty("api_key").GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(tenant));
        await EnqueueAsync(tenant);

        var detail = await AdminAsync(HttpMethod.Get, $"/api/v1/admin/organizations/{id}", HttpStatusCode.OK);
        AssertFields(detail, [.. s_organizationFields, "usage_info", "api_keys_count", "total_jobs"]);
        Assert.Equal(1, detail.GetProperty("api_keys_count").GetInt32());
        Assert.Equal(1, detail.GetProperty("total_jobs").GetInt64());
        AssertFields(detail.GetProperty("usage_info"), "plan", "plan_display_name", "limits", "usage", "warnings");
        Assert.Equal("pro", detail.GetProperty("usage_info").GetProperty("plan").GetString());
        OrganizationRouteTests.AssertPlanLimits(detail.GetProperty("usage_info").GetProperty("limits"));

        var patched = await AdminAsync(HttpMethod.Patch, $"/api/v1/admin/organizations/{id}", HttpStatusCode.OK, """{"plan_tier":"enterprise","billing_email":"new@b.test"}""");
        AssertFields(patched, s_organizationFields);
        Assert.Equal("enterprise", patched.GetProperty("plan_tier").GetString());
        var put = await AdminAsync(HttpMethod.Put, $"/api/v1/admin/organizations/{id}", HttpStatusCode.OK, """{"name":"Renamed by PUT","settings":{}}""");
        Assert.Equal("Renamed by PUT", put.GetProperty("name").GetString());
        Assert.Equal("enterprise", put.GetProperty("plan_tier").GetString());
        await AdminAsync(HttpMethod.Patch, $"/api/v1/admin/organizations/{id}", HttpStatusCode.BadRequest, """{"plan_tier":"platinum"}""");
        await AdminAsync(HttpMethod.Patch, "/api/v1/admin/organizations/no-such-org", HttpStatusCode.NotFound, """{"plan_tier":"pro"}""");
        await AdminAsync(HttpMethod.Get, "/api/v1/admin/organizations/no-such-org", HttpStatusCode.NotFound);

        // A soft delete keeps the organization (and its keys) under the plan "deleted".
        await AdminAsync(HttpMethod.Delete, $"/api/v1/admin/organizations/{id}", HttpStatusCode.NoContent);
        Assert.Equal("deleted", (await AdminAsync(HttpMethod.Get, $"/api/v1/admin/organizations/{id}", HttpStatusCode.OK)).GetProperty("plan_tier").GetString());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(tenant));
        var deleted = await AdminAsync(HttpMethod.Get, "/api/v1/admin/organizations?plan_tier=deleted&limit=100", HttpStatusCode.OK);
        Assert.Contains(deleted.GetProperty("organizations").EnumerateArray(), o => o.GetProperty("id").GetString() == id);

        // A hard delete is refused while jobs are active, then removes everything.
        await AdminAsync(HttpMethod.Delete, $"/api/v1/admin/organizations/{id}?hard_delete=true", HttpStatusCode.Conflict);
        var job = (await GetJsonAsync(tenant, "/api/v1/jobs"))[0].GetProperty("id").GetString();
        await ExpectAsync(await tenant.DeleteAsync($"/api/v1/jobs/{job}"), HttpStatusCode.NoContent);
        await AdminAsync(HttpMethod.Delete, $"/api/v1/admin/organizations/{id}?hard=true", HttpStatusCode.NoContent);
        await AdminAsync(HttpMethod.Get, $"/api/v1/admin/organizations/{id}", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(tenant));
    }

    [Fact]
    public async Task The_list_filters_searches_sorts_and_pages_with_usage_per_organization()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        foreach (var (name, plan) in new[] { ("Charlie", "starter"), ("alpha", "starter"), ("Bravo", "pro") })
        {
            await AdminAsync(HttpMethod.Post, "/api/v1/admin/organizations", HttpStatusCode.Created, $$"""{"name":"{{name}} {{tag}}","slug":"{{name.ToLowerInvariant()}}-{{tag}}","plan_tier":"{{plan}}"}""");
        }

        var page = await AdminAsync(HttpMethod.Get, $"/api/v1/admin/organizations?search={tag}%27%3B&sort_by=name&sort_order=asc&limit=2", HttpStatusCode.OK);
        AssertFields(page, "organizations", "total", "limit", "offset");
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("limit").GetInt32());
        var items = page.GetProperty("organizations");
        Assert.Equal(2, items.GetArrayLength());
        AssertFields(items[0], "id", "name", "slug", "plan_tier", "billing_email", "created_at", "updated_at", "usage");
        AssertFields(items[0].GetProperty("usage"), "jobs_today", "active_jobs", "queues", "workers", "api_keys");
        Assert.Equal(1, items[0].GetProperty("usage").GetProperty("api_keys").GetInt64());
        Assert.StartsWith("alpha", items[0].GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Bravo", items[1].GetProperty("name").GetString(), StringComparison.Ordinal);

        var rest = await AdminAsync(HttpMethod.Get, $"/api/v1/admin/organizations?search={tag}&sort_by=name&sort_order=asc&limit=2&offset=2", HttpStatusCode.OK);
        Assert.StartsWith("Charlie", rest.GetProperty("organizations")[0].GetProperty("name").GetString(), StringComparison.Ordinal);

        var starters = await AdminAsync(HttpMethod.Get, $"/api/v1/admin/organizations?search={tag}&plan_tier=starter", HttpStatusCode.OK);
        Assert.Equal(2, starters.GetProperty("total").GetInt32());

        await AdminAsync(HttpMethod.Get, "/api/v1/admin/organizations?limit=0", HttpStatusCode.BadRequest);
        await AdminAsync(HttpMethod.Get, "/api/v1/admin/organizations?limit=101", HttpStatusCode.BadRequest);
        await AdminAsync(HttpMethod.Get, "/api/v1/admin/organizations?sort_by=password", HttpStatusCode.BadRequest);
        await AdminAsync(HttpMethod.Get, "/api/v1/admin/organizations?plan_tier=gold", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Keys_stats_plans_and_usage_reset()
    {
        var (orgId, _) = await RegisterAsync(fixture.Server);
        var key = await AdminAsync(HttpMethod.Post, $"/api/v1/admin/organizations/{orgId}/api-keys", HttpStatusCode.Created, """{"name":"ops"}""");
        AssertFields(key, "id", "key", "name", "created_at", "expires_at");
        using var tenant = fixture.Server.Client(key.GetProperty("key").GetString());
        var listed = await GetJsonAsync(tenant, $"/api/v1/api-keys/{key.GetProperty("id").GetString()}");
        Assert.Equal("""["*"]""", listed.GetProperty("queues").GetRawText());
        await AdminAsync(HttpMethod.Post, "/api/v1/admin/organizations/no-such-org/api-keys", HttpStatusCode.NotFound, """{"name":"ops"}""");
        await AdminAsync(HttpMethod.Post, $"/api/v1/admin/organizations/{orgId}/api-keys", HttpStatusCode.BadRequest, """{"name":"bad;name"}""");

        await AdminAsync(HttpMethod.Post, $"/api/v1/admin/organizations/{orgId}/reset-usage", HttpStatusCode.NoContent);
        await AdminAsync(HttpMethod.Post, "/api/v1/admin/organizations/no-such-org/reset-usage", HttpStatusCode.NotFound);

        var stats = await AdminAsync(HttpMethod.Get, "/api/v1/admin/stats", HttpStatusCode.OK);
        AssertFields(stats, "organizations", "jobs", "workers", "system");
        AssertFields(stats.GetProperty("organizations"), "total", "by_plan", "created_today", "created_this_week");
        Assert.True(stats.GetProperty("organizations").GetProperty("total").GetInt64() >= 1);
        AssertFields(stats.GetProperty("organizations").GetProperty("by_plan")[0], "plan", "count");
        AssertFields(stats.GetProperty("jobs"), "total_active", "pending", "processing", "completed_24h", "failed_24h");
        AssertFields(stats.GetProperty("workers"), "total", "healthy", "degraded");
        AssertFields(stats.GetProperty("system"), "api_version", "uptime_seconds");
        Assert.Equal("v1", stats.GetProperty("system").GetProperty("api_version").GetString());

        var plans = await AdminAsync(HttpMethod.Get, "/api/v1/admin/plans", HttpStatusCode.OK);
        Assert.Equal(4, plans.GetArrayLength());
        var tiers = new List<string>();
        foreach (var plan in plans.EnumerateArray())
        {
            OrganizationRouteTests.AssertPlanLimits(plan);
            tiers.Add(plan.GetProperty("tier").GetString()!);
        }

        Assert.Equal(["free", "starter", "pro", "enterprise"], tiers);
    }
}

using System.Security.Cryptography;
using System.Text;
using Spooled.Broker;
using Spooled.Http.Contracts.Admin;
using Spooled.Http.Contracts.ApiKeys;
using Spooled.Http.Contracts.Organizations;
using Spooled.Http.Errors;
using Spooled.Http.Hosting;
using Spooled.Http.Json;

namespace Spooled.Http.Endpoints;

/// <summary>
/// Administrators' routes under <c>/api/v1/admin</c>, across every organization. Each request needs
/// <c>X-Admin-Key</c> equal to the configured admin key (compared in constant time); while no key
/// is configured every route answers 401 <c>admin_not_configured</c>.
/// </summary>
internal static class AdminEndpoints
{
    private const int MaxSearchLength = 100;
    private static readonly string[] s_allQueues = ["*"];

    public static void Map(IEndpointRouteBuilder routes)
    {
        var started = routes.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var admin = routes.MapGroup("/api/v1/admin");
        admin.AddEndpointFilter(static async (invocation, next) =>
        {
            RequireAdmin(invocation.HttpContext);
            return await next(invocation);
        });
        admin.MapGet("/organizations", ListAsync);
        admin.MapPost("/organizations", CreateAsync);
        admin.MapGet("/organizations/{id}", GetAsync);
        admin.MapPatch("/organizations/{id}", UpdateAsync);
        admin.MapPut("/organizations/{id}", UpdateAsync);
        admin.MapDelete("/organizations/{id}", DeleteAsync);
        admin.MapPost("/organizations/{id}/api-keys", CreateKeyAsync);
        admin.MapPost("/organizations/{id}/reset-usage", ResetUsageAsync);
        admin.MapGet("/stats", (JobBroker broker, TimeProvider time) => StatsAsync(broker, time, started));
        admin.MapGet("/plans", Plans);
    }

    /// <summary>Whether the request carries the configured admin key (false while none is configured).</summary>
    internal static bool IsAdminKey(HttpRequest request, ServerOptions options) =>
        options.AdminApiKey is { Length: > 0 } expected
        && request.Headers["X-Admin-Key"].ToString() is { Length: > 0 } presented
        && SameKey(presented, expected);

    /// <summary>Compares hashes of both keys, so neither the content nor the length leaks through timing.</summary>
    private static bool SameKey(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static void RequireAdmin(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<ServerOptions>();
        if (options.AdminApiKey is not { Length: > 0 })
        {
            throw new ApiException(401, "admin_not_configured", "The admin API is not configured on this server");
        }

        if (context.Request.Headers["X-Admin-Key"].ToString().Length == 0)
        {
            throw new ApiException(401, "missing_admin_key", "Missing X-Admin-Key header");
        }

        if (!IsAdminKey(context.Request, options))
        {
            throw new ApiException(401, "invalid_admin_key", "Invalid admin key");
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, JobBroker broker, TimeProvider time)
    {
        var request = context.Request;
        var plan = Api.Query(request, "plan_tier");
        if (plan is not null && plan is not ("free" or "starter" or "pro" or "enterprise" or "deleted"))
        {
            throw ApiException.Invalid("plan_tier", "plan_tier must be free, starter, pro, enterprise or deleted", "enum");
        }

        var search = Sanitize(Api.Query(request, "search"));
        var limit = Api.QueryInt(request, "limit", 50, 1, 100);
        var offset = Api.QueryInt(request, "offset", 0, 0, int.MaxValue);
        Comparison<OrganizationView> byKey = Api.Query(request, "sort_by") switch
        {
            null or "created_at" => static (a, b) => a.CreatedAt.CompareTo(b.CreatedAt),
            "updated_at" => static (a, b) => a.UpdatedAt.CompareTo(b.UpdatedAt),
            "name" => static (a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase),
            "slug" => static (a, b) => string.CompareOrdinal(a.Slug, b.Slug),
            "plan_tier" => static (a, b) => string.CompareOrdinal(a.PlanTier, b.PlanTier),
            _ => throw ApiException.Invalid("sort_by", "sort_by must be name, slug, plan_tier, created_at or updated_at", "enum"),
        };
        var sign = Api.Query(request, "sort_order") switch
        {
            null or "desc" => -1,
            "asc" => 1,
            _ => throw ApiException.Invalid("sort_order", "sort_order must be asc or desc", "enum"),
        };

        var matching = new List<OrganizationView>();
        foreach (var org in await broker.ListOrganizationsAsync())
        {
            if ((plan is null || org.PlanTier == plan)
                && (search is null || org.Name.Contains(search, StringComparison.OrdinalIgnoreCase) || org.Slug.Contains(search, StringComparison.OrdinalIgnoreCase)))
            {
                matching.Add(org);
            }
        }

        matching.Sort((a, b) =>
        {
            var c = byKey(a, b);
            return sign * (c != 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        });
        var page = new List<AdminOrganizationItem>(Math.Max(0, Math.Min(limit, matching.Count - offset)));
        for (var i = offset; i < matching.Count && page.Count < limit; i++)
        {
            var org = matching[i];
            var use = await OrganizationEndpoints.CountUseAsync(broker, time, org.Id);
            page.Add(new AdminOrganizationItem(
                org.Id,
                org.Name,
                org.Slug,
                org.PlanTier,
                org.BillingEmail,
                org.CreatedAt.UtcDateTime,
                org.UpdatedAt.UtcDateTime,
                new AdminUsageSummary(use.JobsToday, use.ActiveJobs, use.Queues, use.Workers, use.ApiKeys)));
        }

        return Api.Json(new AdminOrganizationList(page, matching.Count, limit, offset));
    }

    /// <summary>The search term reduced to letters, digits, spaces, <c>-</c> and <c>_</c> (at most 100), or null when nothing is left.</summary>
    private static string? Sanitize(string? search)
    {
        if (search is null)
        {
            return null;
        }

        var kept = new StringBuilder(Math.Min(search.Length, MaxSearchLength));
        foreach (var c in search)
        {
            if (kept.Length == MaxSearchLength)
            {
                break;
            }

            if (char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')
            {
                kept.Append(c);
            }
        }

        var term = kept.ToString().Trim();
        return term.Length == 0 ? null : term;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, JobBroker broker)
    {
        var body = await JsonBody.ReadAsync<AdminCreateOrganizationRequest>(context.Request);
        var settings = OrganizationEndpoints.SettingsOrNull(body.Settings);
        var created = await broker.CreateOrganizationAsync(body.Name, body.Slug, body.BillingEmail, body.PlanTier, checkReservedSlugs: false);
        var org = created.Organization;
        if (settings is not null)
        {
            org = await broker.UpdateOrganizationAsync(org.Id, new OrganizationUpdate { Settings = settings });
        }

        var response = AdminCreateOrganizationResponse.From(OrganizationResponse.From(org), InitialApiKeyResponse.From(created.ApiKey));
        return Api.Json(response, StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(JobBroker broker, ServerOptions options, TimeProvider time, string id)
    {
        var org = await broker.GetOrganizationAsync(id);
        var usage = await OrganizationEndpoints.UsageOfOrganizationAsync(broker, options, time, id);
        var keys = 0;
        var now = time.GetUtcNow();
        foreach (var key in await broker.ListApiKeysAsync(id))
        {
            if (OrganizationEndpoints.IsLive(key, now))
            {
                keys++;
            }
        }

        var counts = await broker.GetJobCountsAsync(id);
        return Api.Json(new AdminOrganizationDetail
        {
            Id = org.Id,
            Name = org.Name,
            Slug = org.Slug,
            PlanTier = org.PlanTier,
            BillingEmail = org.BillingEmail,
            Settings = new RawJson(org.Settings),
            CreatedAt = org.CreatedAt.UtcDateTime,
            UpdatedAt = org.UpdatedAt.UtcDateTime,
            UsageInfo = usage,
            ApiKeysCount = keys,
            TotalJobs = counts.Total,
        });
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, JobBroker broker, string id)
    {
        await broker.GetOrganizationAsync(id); // An unknown id is 404 whatever the body says.
        var body = await JsonBody.ReadAsync<AdminUpdateOrganizationRequest>(context.Request);
        if (body.PlanTier is not null && body.PlanTier is not ("free" or "starter" or "pro" or "enterprise"))
        {
            throw ApiException.Invalid("plan_tier", "plan_tier must be free, starter, pro or enterprise", "enum");
        }

        var org = await broker.UpdateOrganizationAsync(id, new OrganizationUpdate
        {
            Name = body.Name,
            PlanTier = body.PlanTier,
            BillingEmail = body.BillingEmail,
            Settings = OrganizationEndpoints.SettingsOrNull(body.Settings),
        });
        return Api.Json(OrganizationResponse.From(org));
    }

    /// <summary>
    /// <c>?hard_delete=true</c> (or <c>?hard=true</c>) deletes the organization and everything it
    /// holds, refused with 409 while it has active jobs or workers; otherwise the plan becomes
    /// <c>deleted</c> and nothing else changes (its keys keep working).
    /// </summary>
    private static async Task<IResult> DeleteAsync(HttpContext context, JobBroker broker, string id)
    {
        if (IsTrue(Api.Query(context.Request, "hard_delete")) || IsTrue(Api.Query(context.Request, "hard")))
        {
            await broker.DeleteOrganizationAsync(id);
        }
        else
        {
            await broker.UpdateOrganizationAsync(id, new OrganizationUpdate { PlanTier = "deleted" });
        }

        return Results.NoContent();
    }

    private static bool IsTrue(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static async Task<IResult> CreateKeyAsync(HttpContext context, JobBroker broker, string id)
    {
        await broker.GetOrganizationAsync(id);
        var body = await JsonBody.ReadAsync<CreateApiKeyRequest>(context.Request);
        ApiKeyEndpoints.Validate(body.Name, body.Queues, nameRequired: true);
        var key = await broker.CreateApiKeyAsync(id, body.Name, body.Queues ?? (IReadOnlyList<string>)s_allQueues, body.RateLimit, body.ExpiresAt);
        return Api.Json(CreateApiKeyResponse.From(key), StatusCodes.Status201Created);
    }

    /// <summary>No usage counter limits anything here; the route exists for the SDKs and answers for known organizations.</summary>
    private static async Task<IResult> ResetUsageAsync(JobBroker broker, string id)
    {
        await broker.GetOrganizationAsync(id);
        return Results.NoContent();
    }

    private static async Task<IResult> StatsAsync(JobBroker broker, TimeProvider time, DateTimeOffset started)
    {
        var now = time.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var weekAgo = now.AddDays(-7);
        var orgs = await broker.ListOrganizationsAsync();
        var plans = new Dictionary<string, long>(StringComparer.Ordinal);
        long createdToday = 0, createdThisWeek = 0, pending = 0, processing = 0, active = 0, completed = 0, failed = 0, workers = 0, healthy = 0, degraded = 0;
        foreach (var org in orgs)
        {
            plans[org.PlanTier] = plans.GetValueOrDefault(org.PlanTier) + 1;
            createdToday += org.CreatedAt >= today ? 1 : 0;
            createdThisWeek += org.CreatedAt >= weekAgo ? 1 : 0;
            var counts = await broker.GetJobCountsAsync(org.Id);
            pending += counts.Pending;
            processing += counts.Processing;
            active += counts.Pending + counts.Scheduled + counts.Processing;
            var (done, failures, _) = await DashboardEndpoints.Last24HoursAsync(broker, org.Id);
            completed += done;
            failed += failures;
            foreach (var worker in await broker.ListWorkersAsync(org.Id))
            {
                healthy += worker.Status == WorkerStatus.Healthy ? 1 : 0;
                degraded += worker.Status == WorkerStatus.Degraded ? 1 : 0;
                workers += worker.Status != WorkerStatus.Offline ? 1 : 0;
            }
        }

        var byPlan = new List<AdminPlanCount>(plans.Count);
        foreach (var (plan, count) in plans)
        {
            byPlan.Add(new AdminPlanCount(plan, count));
        }

        byPlan.Sort(static (a, b) => string.CompareOrdinal(a.Plan, b.Plan));
        return Api.Json(new AdminStatsResponse(
            new AdminOrganizationStats(orgs.Count, byPlan, createdToday, createdThisWeek),
            new AdminJobStats(active, pending, processing, completed, failed),
            new AdminWorkerStats(workers, healthy, degraded),
            new AdminSystemStats("v1", (long)(now - started).TotalSeconds)));
    }

    private static IResult Plans(ServerOptions options)
    {
        var plans = new List<PlanLimitsResponse>(PlanLimitsResponse.Tiers.Count);
        foreach (var tier in PlanLimitsResponse.Tiers)
        {
            plans.Add(PlanLimitsResponse.For(tier, options));
        }

        return Api.Json(plans);
    }
}

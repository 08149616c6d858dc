using Spooled.Broker;
using Spooled.Http.Auth;
using Spooled.Http.Contracts.Organizations;
using Spooled.Http.Errors;
using Spooled.Http.Hosting;
using Spooled.Http.Json;

namespace Spooled.Http.Endpoints;

/// <summary>
/// Organization routes: registration (public, subject to the registration mode), the caller's own
/// organization (read, change, delete), its usage and its members. Another organization's id is
/// 404, like an unknown one.
/// </summary>
internal static class OrganizationEndpoints
{
    private const int MaxSettingsBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder routes)
    {
        var orgs = routes.MapGroup("/api/v1/organizations");
        orgs.MapPost("", CreateAsync);
        orgs.MapGet("", ListAsync);
        orgs.MapGet("/usage", UsageAsync);
        orgs.MapGet("/{id}", GetAsync);
        orgs.MapPut("/{id}", UpdateAsync);
        orgs.MapDelete("/{id}", DeleteAsync);
        orgs.MapGet("/{id}/usage", UsageOfAsync);
        orgs.MapGet("/{id}/members", MembersAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, JobBroker broker, ServerOptions options)
    {
        switch (options.RegistrationMode)
        {
            case "invite":
                throw ApiException.Forbidden("Registration is by invitation only");
            case "closed" when !AdminEndpoints.IsAdminKey(context.Request, options):
                throw ApiException.Forbidden("Registration is closed; creating an organization needs the admin key");
        }

        var body = await JsonBody.ReadAsync<CreateOrganizationRequest>(context.Request);
        var created = await broker.CreateOrganizationAsync(body.Name, body.Slug, body.BillingEmail);
        var response = new CreateOrganizationResponse(OrganizationResponse.From(created.Organization), InitialApiKeyResponse.From(created.ApiKey));
        return Api.Json(response, StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext context, JobBroker broker)
    {
        var caller = Caller.Require(context);
        var org = await broker.GetOrganizationAsync(caller.OrganizationId);
        return Api.Json(new List<OrganizationSummaryResponse> { OrganizationSummaryResponse.From(org) });
    }

    private static async Task<IResult> GetAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        return Api.Json(OrganizationResponse.From(await broker.GetOrganizationAsync(Own(caller, id))));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        var orgId = Own(caller, id);
        RequireAllQueues(caller);
        var body = await JsonBody.ReadAsync<UpdateOrganizationRequest>(context.Request);
        var org = await broker.UpdateOrganizationAsync(orgId, new OrganizationUpdate
        {
            Name = body.Name,
            BillingEmail = body.BillingEmail,
            Settings = SettingsOrNull(body.Settings),
        });
        return Api.Json(OrganizationResponse.From(org));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, JobBroker broker, string id)
    {
        var caller = Caller.Require(context);
        var orgId = Own(caller, id);
        RequireAllQueues(caller);
        await broker.DeleteOrganizationAsync(orgId);
        return Results.NoContent();
    }

    private static async Task<IResult> UsageAsync(HttpContext context, JobBroker broker, ServerOptions options, TimeProvider time)
    {
        var caller = Caller.Require(context);
        return Api.Json(await UsageOfOrganizationAsync(broker, options, time, caller.OrganizationId));
    }

    private static async Task<IResult> UsageOfAsync(HttpContext context, JobBroker broker, ServerOptions options, TimeProvider time, string id)
    {
        var caller = Caller.Require(context);
        return Api.Json(await UsageOfOrganizationAsync(broker, options, time, Own(caller, id)));
    }

    private static async Task<IResult> MembersAsync(HttpContext context, JobBroker broker, TimeProvider time, string id)
    {
        var caller = Caller.Require(context);
        var orgId = Own(caller, id);
        var org = await broker.GetOrganizationAsync(orgId);
        var keys = await broker.ListApiKeysAsync(orgId);
        var now = time.GetUtcNow();
        var members = new List<MemberResponse>(keys.Count);
        foreach (var key in keys)
        {
            if (IsLive(key, now))
            {
                members.Add(new MemberResponse(key.Id, key.Id, org.BillingEmail ?? "", key.Name, CoversAllQueues(key.Queues) ? "owner" : "member", key.CreatedAt.UtcDateTime));
            }
        }

        return Api.Json(members);
    }

    /// <summary>The caller's organization when <paramref name="id"/> names it; any other id is not found.</summary>
    private static string Own(Caller caller, string id) =>
        string.Equals(id, caller.OrganizationId, StringComparison.Ordinal) ? id : throw ApiException.NotFound("Organization");

    /// <summary>
    /// A key limited to some queues may not change its organization or its keys: it could otherwise
    /// mint itself a key for every queue.
    /// </summary>
    internal static void RequireAllQueues(Caller caller)
    {
        if (!CoversAllQueues(caller.Queues))
        {
            throw ApiException.Forbidden("This API key is limited to some queues; managing the organization and its keys needs a key for every queue");
        }
    }

    internal static bool CoversAllQueues(IReadOnlyList<string> queues)
    {
        if (queues.Count == 0)
        {
            return true;
        }

        foreach (var queue in queues)
        {
            if (queue == "*")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Active and not expired: a key that authenticates.</summary>
    internal static bool IsLive(ApiKeyView key, DateTimeOffset now) => key.IsActive && (key.ExpiresAt is not { } expires || expires > now);

    /// <summary>A settings value to store: a JSON object, or null (absent or <c>null</c>) to keep the current one.</summary>
    internal static byte[]? SettingsOrNull(RawJson? settings)
    {
        if (settings is null || settings.IsNull)
        {
            return null;
        }

        if (!settings.IsObject)
        {
            throw ApiException.Invalid("settings", "settings must be a JSON object", "type");
        }

        // Checked before anything is written: an administrator's create stores settings in a second step.
        return settings.Utf8.Length <= MaxSettingsBytes ? settings.Utf8 : throw ApiException.Invalid("settings", "settings exceed 64 KiB", "size");
    }

    /// <summary>The usage answer: the plan's limits on this server and the use of each resource.</summary>
    internal static async Task<UsageResponse> UsageOfOrganizationAsync(JobBroker broker, ServerOptions options, TimeProvider time, string orgId)
    {
        var org = await broker.GetOrganizationAsync(orgId);
        var use = await CountUseAsync(broker, time, orgId);
        var limits = PlanLimitsResponse.For(org.PlanTier, options);
        var usage = new ResourceUsageResponse(
            UsageItemResponse.Unlimited(use.JobsToday),
            UsageItemResponse.Unlimited(use.ActiveJobs),
            UsageItemResponse.Unlimited(use.Queues),
            UsageItemResponse.Unlimited(use.Workers),
            UsageItemResponse.Unlimited(use.ApiKeys),
            UsageItemResponse.Unlimited(0),
            UsageItemResponse.Unlimited(0),
            UsageItemResponse.Unlimited(0));

        // Warnings report resources near their limit; with no counted limits there are none.
        return new UsageResponse(limits.Tier, limits.DisplayName, limits, usage, []);
    }

    /// <summary>
    /// What an organization uses: jobs created since midnight UTC, active jobs (pending, scheduled,
    /// processing), queues, workers that are not offline or draining, live API keys.
    /// </summary>
    internal static async Task<OrganizationUse> CountUseAsync(JobBroker broker, TimeProvider time, string orgId)
    {
        var now = time.GetUtcNow();
        var counts = await broker.GetJobCountsAsync(orgId);
        var queues = await broker.ListQueuesAsync(orgId);
        var workers = 0;
        foreach (var worker in await broker.ListWorkersAsync(orgId))
        {
            if (worker.Status is WorkerStatus.Healthy or WorkerStatus.Degraded)
            {
                workers++;
            }
        }

        var keys = 0;
        foreach (var key in await broker.ListApiKeysAsync(orgId))
        {
            if (IsLive(key, now))
            {
                keys++;
            }
        }

        var midnight = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var today = await CountCreatedSinceAsync(broker, orgId, midnight);
        return new OrganizationUse(today, counts.Pending + counts.Scheduled + counts.Processing, queues.Count, workers, keys, counts.Total);
    }

    /// <summary>
    /// How many of the organization's jobs (of <paramref name="status"/>, when given) were created
    /// at or after <paramref name="since"/>; the broker walks back from its newest job only as far
    /// as <paramref name="since"/>.
    /// </summary>
    internal static Task<long> CountCreatedSinceAsync(JobBroker broker, string orgId, DateTimeOffset since, JobStatus? status = null) =>
        broker.CountCreatedSinceAsync(orgId, since, status);

    /// <summary>An organization's use of each counted resource.</summary>
    internal readonly record struct OrganizationUse(long JobsToday, long ActiveJobs, long Queues, long Workers, long ApiKeys, long TotalJobs);
}

using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Spooled.Broker.State;

namespace Spooled.Broker.Engine;

/// <content>Organizations and API keys.</content>
internal sealed partial class BrokerEngine
{
    private static readonly string[] s_reservedSlugs =
        ["admin", "api", "app", "auth", "dashboard", "docs", "help", "internal", "login", "logout", "metrics", "root", "settings", "signup", "status", "support", "system", "test", "www"];

    private static readonly string[] s_allQueues = ["*"];

    public NewOrganization CreateOrganization(string name, string slug, string? billingEmail, string? planTier, string? id, bool checkReservedSlugs)
    {
        var check = new Validation();
        check.Text("name", name, 3, 100, required: true);
        if (slug is null || slug.Length is < 3 or > 50 || !SlugPattern().IsMatch(slug))
        {
            check.Add("slug", "slug must be 3-50 characters of lower-case letters, digits and single hyphens, starting with a letter", "slug");
        }
        else if (checkReservedSlugs && Array.IndexOf(s_reservedSlugs, slug) >= 0)
        {
            check.Add("slug", "slug is reserved", "reserved");
        }

        if (billingEmail is not null && (billingEmail.Length > 254 || !EmailPattern().IsMatch(billingEmail)))
        {
            check.Add("billing_email", "billing_email is not a valid e-mail address", "email");
        }

        if (planTier is not null && planTier is not ("free" or "starter" or "pro" or "enterprise"))
        {
            check.Add("plan_tier", "plan_tier must be free, starter, pro or enterprise", "enum");
        }

        check.ThrowIfFailed();
        if (State.OrgsBySlug.ContainsKey(slug!))
        {
            throw BrokerException.Conflict("An organization with this slug already exists");
        }

        id ??= Guid.NewGuid().ToString();
        if (State.Orgs.ContainsKey(id))
        {
            throw BrokerException.Conflict("An organization with this id already exists");
        }

        var (key, hash) = MintKey();
        var keyId = Guid.NewGuid();
        var start = Start();
        BrokerState.WriteOrganizationCreated(_buffer, _now, id, name, slug!, planTier ?? "free", billingEmail, "{}"u8.ToArray(), new BrokerState.FirstKey(keyId, hash, "Initial Admin Key", s_allQueues));
        Commit(start);
        return new NewOrganization(View(State.Orgs[id]), new NewApiKey(keyId, key, "Initial Admin Key", ToTime(_now), null));
    }

    /// <summary>A key: the prefix, then 43 unpadded base64url characters of 32 random bytes.</summary>
    private (string Key, ApiKeyHash Hash) MintKey()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        var key = (_options.LiveKeys ? "sk_live_" : "sk_test_") + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (key, ApiKeyHash.Of(key));
    }

    public OrganizationView GetOrganization(string orgId) => View(Org(orgId));

    public IReadOnlyList<OrganizationView> ListOrganizations()
    {
        var orgs = new List<OrgState>(State.Orgs.Values);
        orgs.Sort(static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.Id, b.Id));
        var result = new List<OrganizationView>(orgs.Count);
        foreach (var org in orgs)
        {
            result.Add(View(org));
        }

        return result;
    }

    private static OrganizationView View(OrgState org) => new()
    {
        Id = org.Id,
        Name = org.Name,
        Slug = org.Slug,
        PlanTier = org.PlanTier,
        BillingEmail = org.BillingEmail,
        Settings = org.Settings,
        CreatedAt = ToTime(org.CreatedAt),
        UpdatedAt = ToTime(org.UpdatedAt),
    };

    public OrganizationView UpdateOrganization(string orgId, OrganizationUpdate update)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.Text("name", update.Name, 3, 100, required: false);
        if (update.BillingEmail is { } email && (email.Length > 254 || !EmailPattern().IsMatch(email)))
        {
            check.Add("billing_email", "billing_email is not a valid e-mail address", "email");
        }

        if (update.Settings is { Length: > Validation.MaxTagsBytes })
        {
            check.Add("settings", "settings exceed 64 KiB", "size");
        }

        // "deleted" is the administrators' soft delete: the organization stays, its keys keep working.
        if (update.PlanTier is not null && update.PlanTier is not ("free" or "starter" or "pro" or "enterprise" or "deleted"))
        {
            check.Add("plan_tier", "plan_tier must be free, starter, pro, enterprise or deleted", "enum");
        }

        check.ThrowIfFailed();
        var start = Start();
        BrokerState.WriteOrganizationUpdated(_buffer, _now, org.Id, update);
        Commit(start);
        return View(org);
    }

    /// <summary>Deletes an organization, refused while it has active jobs or live workers.</summary>
    public void DeleteOrganization(string orgId)
    {
        var org = Org(orgId);
        var active = org.Counts[(int)JobStatus.Pending] + org.Counts[(int)JobStatus.Scheduled] + org.Counts[(int)JobStatus.Processing];
        if (active > 0)
        {
            throw BrokerException.Conflict("Organization has active jobs");
        }

        foreach (var worker in org.Workers.Values)
        {
            if (StatusOf(worker) != WorkerStatus.Offline)
            {
                throw BrokerException.Conflict("Organization has active workers");
            }
        }

        var start = Start();
        BrokerState.WriteOrganizationDeleted(_buffer, _now, org.Id);
        Commit(start);
    }

    public NewApiKey CreateApiKey(string orgId, string name, IReadOnlyList<string>? queues, int? rateLimit, DateTimeOffset? expiresAt)
    {
        var org = Org(orgId);
        var check = new Validation();
        check.Text("name", name, 1, 100, required: true);
        check.Range("rate_limit", rateLimit, 1, 10_000, "rate_limit");
        if (queues is { Count: > 50 })
        {
            check.Add("queues", "at most 50 queues", "length");
        }

        if (expiresAt is { } at && at.UtcTicks <= _now)
        {
            check.Add("expires_at", "expires_at must be in the future");
        }

        check.ThrowIfFailed();
        var (key, hash) = MintKey();
        var id = Guid.NewGuid();
        var start = Start();
        BrokerState.WriteApiKeyCreated(_buffer, _now, org.Id, id, hash, name, queues ?? [], rateLimit, expiresAt?.UtcTicks ?? 0);
        Commit(start);
        return new NewApiKey(id, key, name, ToTime(_now), expiresAt);
    }

    public IReadOnlyList<ApiKeyView> ListApiKeys(string orgId)
    {
        var org = Org(orgId);
        var result = new List<ApiKeyView>(org.ApiKeys.Count);
        for (var i = org.ApiKeys.Count - 1; i >= 0; i--)
        {
            result.Add(View(org.ApiKeys[i]));
        }

        return result;
    }

    public ApiKeyView GetApiKey(string orgId, Guid keyId) => View(KeyOf(Org(orgId), keyId));

    public ApiKeyView UpdateApiKey(string orgId, Guid keyId, ApiKeyUpdate update)
    {
        var key = KeyOf(Org(orgId), keyId);
        var check = new Validation();
        check.Text("name", update.Name, 1, 100, required: false);
        check.Range("rate_limit", update.RateLimit, 1, 10_000, "rate_limit");
        if (update.IsActive == true && !key.IsActive)
        {
            check.Add("is_active", "a revoked key cannot be re-activated; create a new key", "revoked");
        }

        check.ThrowIfFailed();
        var start = Start();
        BrokerState.WriteApiKeyUpdated(_buffer, _now, keyId, update);
        Commit(start);
        return View(key);
    }

    private ApiKeyState KeyOf(OrgState org, Guid keyId) =>
        State.ApiKeys.TryGetValue(keyId, out var key) && ReferenceEquals(key.Org, org) ? key : throw BrokerException.NotFound("API key");

    private static ApiKeyView View(ApiKeyState key) => new(
        key.Id,
        key.Name,
        key.Queues,
        key.RateLimit,
        key.IsActive,
        ToTime(key.CreatedAt),
        ToOptionalTime(Volatile.Read(ref key.LastUsed)),
        ToOptionalTime(key.ExpiresAt));

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}

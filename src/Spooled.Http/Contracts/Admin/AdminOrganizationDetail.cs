using Spooled.Http.Contracts.Organizations;
using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Admin;

/// <summary><c>GET /admin/organizations/{id}</c>: the organization with its usage.</summary>
public sealed class AdminOrganizationDetail
{
    /// <summary>Organization id.</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Unique slug.</summary>
    public required string Slug { get; init; }

    /// <summary>Plan tier.</summary>
    public required string PlanTier { get; init; }

    /// <summary>Billing e-mail.</summary>
    public string? BillingEmail { get; init; }

    /// <summary>Settings, verbatim.</summary>
    public required RawJson Settings { get; init; }

    /// <summary>Always null.</summary>
    public RawJson? CustomLimits { get; init; }

    /// <summary>Created.</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTime UpdatedAt { get; init; }

    /// <summary>Plan, limits and use.</summary>
    public required UsageResponse UsageInfo { get; init; }

    /// <summary>Active keys.</summary>
    public int ApiKeysCount { get; init; }

    /// <summary>Jobs held, in every status.</summary>
    public long TotalJobs { get; init; }
}

using Spooled.Broker;
using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Organizations;

/// <summary>An organization with every field.</summary>
public sealed class OrganizationResponse
{
    /// <summary>Organization id.</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Unique slug.</summary>
    public required string Slug { get; init; }

    /// <summary><c>free</c>, <c>starter</c>, <c>pro</c>, <c>enterprise</c> (or <c>deleted</c> after an administrator's soft delete).</summary>
    public required string PlanTier { get; init; }

    /// <summary>Billing e-mail.</summary>
    public string? BillingEmail { get; init; }

    /// <summary>Settings, verbatim.</summary>
    public required RawJson Settings { get; init; }

    /// <summary>Per-organization limit overrides: always null, limits are the server's.</summary>
    public RawJson? CustomLimits { get; init; }

    /// <summary>Created.</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTime UpdatedAt { get; init; }

    /// <summary>Maps a broker view.</summary>
    public static OrganizationResponse From(OrganizationView org)
    {
        ArgumentNullException.ThrowIfNull(org);
        return new OrganizationResponse
        {
            Id = org.Id,
            Name = org.Name,
            Slug = org.Slug,
            PlanTier = org.PlanTier,
            BillingEmail = org.BillingEmail,
            Settings = new RawJson(org.Settings),
            CreatedAt = org.CreatedAt.UtcDateTime,
            UpdatedAt = org.UpdatedAt.UtcDateTime,
        };
    }
}

using Spooled.Http.Contracts.Organizations;
using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Admin;

/// <summary>
/// <c>POST /admin/organizations</c>: <c>{organization, api_key}</c> as in the reference, with the
/// organization's fields repeated at the top level for clients that read a bare organization.
/// </summary>
public sealed class AdminCreateOrganizationResponse
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

    /// <summary>The organization.</summary>
    public required OrganizationResponse Organization { get; init; }

    /// <summary>Its first key (all queues, no expiry); the raw key is shown only here.</summary>
    public required InitialApiKeyResponse ApiKey { get; init; }

    /// <summary>Builds the answer.</summary>
    public static AdminCreateOrganizationResponse From(OrganizationResponse org, InitialApiKeyResponse key)
    {
        ArgumentNullException.ThrowIfNull(org);
        return new AdminCreateOrganizationResponse
        {
            Id = org.Id,
            Name = org.Name,
            Slug = org.Slug,
            PlanTier = org.PlanTier,
            BillingEmail = org.BillingEmail,
            Settings = org.Settings,
            CustomLimits = org.CustomLimits,
            CreatedAt = org.CreatedAt,
            UpdatedAt = org.UpdatedAt,
            Organization = org,
            ApiKey = key,
        };
    }
}

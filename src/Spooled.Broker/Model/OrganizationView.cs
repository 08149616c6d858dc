namespace Spooled.Broker;

/// <summary>An organization (tenant).</summary>
public sealed class OrganizationView
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

    /// <summary>Settings (UTF-8 JSON object).</summary>
    public required byte[] Settings { get; init; }

    /// <summary>Created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

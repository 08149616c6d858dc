namespace Spooled.Broker;

/// <summary>An organization change; null fields keep their value.</summary>
public sealed class OrganizationUpdate
{
    /// <summary>3..100 characters.</summary>
    public string? Name { get; init; }

    /// <summary>Billing e-mail.</summary>
    public string? BillingEmail { get; init; }

    /// <summary>Replaces the settings (UTF-8 JSON object).</summary>
    public byte[]? Settings { get; init; }

    /// <summary>Plan tier (an administrator's change).</summary>
    public string? PlanTier { get; init; }
}

using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Organizations;

/// <summary><c>PUT /organizations/{id}</c>: absent fields keep their value; the plan cannot change here.</summary>
public sealed class UpdateOrganizationRequest
{
    /// <summary>3..100 characters.</summary>
    public string? Name { get; init; }

    /// <summary>A valid e-mail address.</summary>
    public string? BillingEmail { get; init; }

    /// <summary>A JSON object of at most 64 KiB that replaces the settings whole.</summary>
    public RawJson? Settings { get; init; }
}

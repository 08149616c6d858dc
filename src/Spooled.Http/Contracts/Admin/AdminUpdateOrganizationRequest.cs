using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Admin;

/// <summary><c>PATCH</c> (or <c>PUT</c>) <c>/admin/organizations/{id}</c>: absent fields keep their value.</summary>
public sealed class AdminUpdateOrganizationRequest
{
    /// <summary>3..100 characters.</summary>
    public string? Name { get; init; }

    /// <summary><c>free</c>, <c>starter</c>, <c>pro</c> or <c>enterprise</c> (also restores a soft-deleted organization).</summary>
    public string? PlanTier { get; init; }

    /// <summary>A valid e-mail address.</summary>
    public string? BillingEmail { get; init; }

    /// <summary>A JSON object of at most 64 KiB that replaces the settings whole.</summary>
    public RawJson? Settings { get; init; }

    /// <summary>Accepted and ignored: limits are the server's, not per organization.</summary>
    public RawJson? CustomLimits { get; init; }
}

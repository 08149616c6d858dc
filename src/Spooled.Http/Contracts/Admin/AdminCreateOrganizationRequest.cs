using Spooled.Http.Json;

namespace Spooled.Http.Contracts.Admin;

/// <summary><c>POST /admin/organizations</c>.</summary>
public sealed class AdminCreateOrganizationRequest
{
    /// <summary>3..100 characters.</summary>
    public required string Name { get; init; }

    /// <summary>3..50 characters of lower-case letters, digits and single hyphens (reserved words allowed).</summary>
    public required string Slug { get; init; }

    /// <summary>A valid e-mail address.</summary>
    public string? BillingEmail { get; init; }

    /// <summary><c>free</c> (default), <c>starter</c>, <c>pro</c> or <c>enterprise</c>.</summary>
    public string? PlanTier { get; init; }

    /// <summary>Initial settings: a JSON object of at most 64 KiB.</summary>
    public RawJson? Settings { get; init; }

    /// <summary>Accepted and ignored: limits are the server's, not per organization.</summary>
    public RawJson? CustomLimits { get; init; }
}

namespace Spooled.Http.Contracts.Admin;

/// <summary>An item of <c>GET /admin/organizations</c>.</summary>
public sealed record AdminOrganizationItem(
    string Id,
    string Name,
    string Slug,
    string PlanTier,
    string? BillingEmail,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    AdminUsageSummary Usage);

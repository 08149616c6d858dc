namespace Spooled.Http.Contracts.Organizations;

/// <summary><c>GET /organizations/usage</c>: the plan, its limits, the use of each resource, and warnings.</summary>
public sealed record UsageResponse(
    string Plan,
    string PlanDisplayName,
    PlanLimitsResponse Limits,
    ResourceUsageResponse Usage,
    IReadOnlyList<UsageWarningResponse> Warnings);

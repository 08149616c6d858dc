namespace Spooled.Http.Contracts.Admin;

/// <summary>Organizations: how many, per plan, and how many are new.</summary>
public sealed record AdminOrganizationStats(long Total, IReadOnlyList<AdminPlanCount> ByPlan, long CreatedToday, long CreatedThisWeek);
